package org.cleft.api;

/** What a backend can do; a caller asks the resolver for a backend with a capability. */
public enum Capability {
  /** Contrastive pre-training and prompt fine-tuning (gradients, optimisers). */
  TRAINING,
  /** Encoding images and texts and zero-shot classification. */
  INFERENCE,
  /** Runs on a CUDA GPU in this process (the native runtime found a device). */
  GPU
}
