package org.cleft.api.checkpoint;

/** The config of an image tower, whatever its family: what engine-neutral code needs to know of it. */
public interface VisionConfig extends ModelConfig {

  /** {@return the input size the tower was trained at, in pixels} */
  int imageSize();

  /** {@return the patch size; inputs are multiples of it} */
  int patchSize();

  /** {@return the number of input channels} */
  int numChannels();

  /** {@return the hidden width} */
  int hiddenSize();
}
