/** Training on DJL: the contrastive step, prompt context learning, optimisers. */
package org.cleft.djl.train;
