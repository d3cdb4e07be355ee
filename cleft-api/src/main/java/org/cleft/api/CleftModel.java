package org.cleft.api;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A loaded CLEFT model: both towers with their projections and the learned temperature. Owns
 * the native resources of its encoders; closing the model closes them.
 */
public interface CleftModel extends AutoCloseable {

  /** {@return the image tower and projection} */
  ImageEncoder imageEncoder();

  /** {@return the text tower (with its adapter, if the checkpoint names one) and projection} */
  TextEncoder textEncoder();

  /**
   * {@return the learned log-temperature {@code logit_scale}; logits are scaled by {@code exp(logitScale())}}
   */
  float logitScale();

  /** {@return the checkpoint directory this model was loaded from} */
  Path checkpoint();

  /**
   * {@return a zero-shot classifier whose class embeddings come from one caption per class,
   * {@code template} with {@code {}} replaced by the class name
   * (e.g. {@code "this is a chest x ray of a patient with {}"})}
   *
   * @param classNames the classes, in column order
   * @param template the caption template, with {@code {}} where the class name goes
   */
  ZeroShotClassifier zeroShot(List<String> classNames, String template);

  /**
   * {@return a classifier from the learned context prompts saved in the checkpoint, if it has any (see
   * {@link PromptLearner})}
   */
  Optional<ZeroShotClassifier> promptTuned();

  /** Releases native resources; idempotent. */
  @Override
  void close();
}
