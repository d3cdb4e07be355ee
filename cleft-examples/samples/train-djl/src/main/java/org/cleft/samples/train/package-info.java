/** Contrastive pre-training and context prompt tuning through the cleft trainer API. */
package org.cleft.samples.train;
