/** Parameters loaded from safetensors and PyTorch-exact building blocks on DJL arrays. */
package org.cleft.djl.nn;
