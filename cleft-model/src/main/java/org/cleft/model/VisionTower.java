package org.cleft.model;

import org.cleft.api.checkpoint.CheckpointException;

/**
 * An image tower written once against {@link Ops}: the output of its last block (what CLEFT pools) and the final
 * norm, kept apart because CLEFT pools before it.
 *
 * @param <T> the engine's tensor handle
 */
public interface VisionTower<T> {

  /** {@return the hidden width} */
  int width();

  /** {@return the number of input channels} */
  int channels();

  /** {@return the patch size: inputs are multiples of it} */
  int patchSize();

  /** {@return the number of transformer blocks} */
  int layers();

  /**
   * Checks an input's size.
   *
   * @param channels the number of channels
   * @param height the height in pixels
   * @param width the width in pixels
   * @throws IllegalArgumentException naming the size and what the tower takes
   */
  void checkInput(long channels, long height, long width);

  /**
   * {@return the output of the last block, before the final norm: [batch, tokens, width]}
   *
   * @param ops the engine's ops
   * @param pixels [batch, channels, height, width]
   * @param height the images' height (static: a graph is built for one size)
   * @param width the images' width
   */
  T lastBlock(Ops<T> ops, T pixels, int height, int width);

  /**
   * {@return the final norm of the tower's states}
   *
   * @param ops the engine's ops
   * @param states from {@link #lastBlock}
   * @throws CheckpointException when the norm's tensors are missing or misshapen
   */
  T finalNorm(Ops<T> ops, T states) throws CheckpointException;
}
