package org.cleft.api.checkpoint;

/** The config of a text tower, whatever its family: what engine-neutral code needs to know of it. */
public interface TextConfig extends ModelConfig {

  /** {@return the vocabulary size} */
  int vocabSize();

  /** {@return the number of positions (the longest sequence the tower takes)} */
  int maxPositions();

  /** {@return the hidden width} */
  int hiddenSize();

  /** {@return the token id texts are padded with} */
  int effectivePadId();
}
