package org.cleft.api;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.cleft.api.checkpoint.CleftCheckpoint;
import org.cleft.api.safetensors.SafetensorsException;

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

  /** {@return the checkpoint this model was loaded from, as read from disk (manifest, configs, adapter)} */
  CleftCheckpoint source();

  /**
   * {@return the side of the square images this model takes: its image encoder's input size, else the checkpoint's
   * ({@link CleftCheckpoint#imageSize()}), the same rule on every backend}
   */
  default int imageSize() {
    int size = imageEncoder().inputSize();
    return size > 0 ? size : source().imageSize();
  }

  /** {@return the checkpoint directory this model was loaded from} */
  default Path checkpoint() {
    return source().directory();
  }

  /**
   * {@return how this model's class captions are built: the record its checkpoint's {@code cleft.json} holds,
   * or, for a checkpoint without one, {@link CaptionStyle#defaults()}}
   */
  default CaptionStyle captionStyle() {
    return source().captionStyle();
  }

  /** {@return whether the checkpoint's {@code cleft.json} records its caption style (else the default applies)} */
  default boolean captionStyleRecorded() {
    return source().captionStyleRecorded();
  }

  /**
   * The captions of a zero-shot classifier, built the way this model was trained: {@code template} (null:
   * the model's own) with each class name normalised by {@link #captionStyle()}. Each notice (a name
   * normalised, a name the model was not evaluated with, no caption record in the checkpoint) is logged
   * once through slf4j.
   *
   * @param classNames the classes, as the application spells them
   * @param template a caption with {@code {}} where the class name goes, or null for the model's template
   * @return the captions and their notices
   * @throws IllegalArgumentException when there is no class, a name is blank or the template has no {@code {}}
   */
  default ClassCaptions classCaptions(List<String> classNames, String template) {
    CaptionStyle style = template == null ? captionStyle() : captionStyle().withTemplate(template);
    ClassCaptions captions = style.classCaptions(classNames);
    CaptionNotices.log(this, captions);
    return captions;
  }

  /**
   * {@return a zero-shot classifier over these classes, with captions built the way this model was trained
   * (its template and normalisation, see {@link #classCaptions(List, String)})}
   *
   * @param classNames the classes, in column order, as the application spells them
   */
  default ZeroShotClassifier zeroShot(List<String> classNames) {
    return zeroShot(classCaptions(classNames, null));
  }

  /**
   * {@return a zero-shot classifier whose class embeddings come from one caption per class,
   * {@code template} with {@code {}} replaced by the class name as this model's caption style normalises it
   * (e.g. {@code "this is a chest x ray of a patient with {}"}); {@link CaptionStyle#rawCaptions} and
   * {@link #zeroShot(ClassCaptions)} keep names verbatim}
   *
   * @param classNames the classes, in column order, as the application spells them
   * @param template the caption template, with {@code {}} where the class name goes
   */
  default ZeroShotClassifier zeroShot(List<String> classNames, String template) {
    return zeroShot(classCaptions(classNames, template));
  }

  /**
   * {@return a zero-shot classifier whose class embeddings come from exactly these captions (encoded once, here); it
   * reports {@link ClassCaptions#classNames()}}
   *
   * @param captions one caption per class
   */
  default ZeroShotClassifier zeroShot(ClassCaptions captions) {
    return classifier(captions.classNames(), textEncoder().encodeTexts(captions.captions()));
  }

  /**
   * {@return this engine's classifier over fixed class embeddings (scored with this model's image encoder and
   * {@link #logitScale()})}; the zero-shot and prompt-tuned classifiers are made by it
   *
   * @param classNames the classes, in embedding-row order
   * @param classes the class embeddings (L2-normalised)
   */
  ZeroShotClassifier classifier(List<String> classNames, Embeddings classes);

  /**
   * {@return a classifier from the learned context prompts saved in the checkpoint, if it has any (see
   * {@link PromptLearner}): the {@code class_embeds} of its prompt file}
   *
   * @throws IllegalStateException naming the file when the prompt file cannot be read
   */
  default Optional<ZeroShotClassifier> promptTuned() {
    Optional<Path> file = source().promptFile();
    if (file.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(classifier(source().manifest().prompt().classNames(),
          EmbeddingClassifier.promptClassEmbeddings(file.get())));
    } catch (SafetensorsException e) {
      throw new IllegalStateException(file.get() + ": cannot read the learned prompts: " + e.getMessage(), e);
    }
  }

  /** Releases native resources; idempotent. */
  @Override
  void close();
}
