package org.cleft.api;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.cleft.api.checkpoint.CleftCheckpoint;
import org.cleft.api.safetensors.SafetensorsException;
import org.cleft.api.spi.AbstractCleftModel;
import org.cleft.api.spi.ImagePreprocessor;
import org.cleft.api.vision.PixelImage;

/**
 * A loaded CLEFT model: both towers with their projections and the learned temperature. Owns
 * the native resources of its encoders; closing the model closes them. Safe to share across threads.
 *
 * <p><b>One call per image.</b> The model knows its preprocessing and input size, so a file goes in as it is:
 *
 * <pre>{@code
 * try (CleftModel model = Backends.load(Path.of("checkpoint"))) {
 *   Classification result = model.classify(List.of(Path.of("a.dcm"), Path.of("b.png")));
 *   System.out.println(result.predictedNames());                        // the model's own classes
 *   model.classify(Path.of("c.jpg"), List.of("edema", "pneumothorax")); // zero-shot, any classes
 *   Embeddings embeddings = model.embedImages(paths);                    // for retrieval or a linear probe
 * }
 * }</pre>
 *
 * <p>A file is decoded by its bytes (DICOM with or without preamble, PNG, JPEG, TIFF) and preprocessed with the
 * reference evaluation pipeline at {@link #imageSize()}; lists are decoded on a small thread pool the model owns and
 * encoded in bounded batches. {@link #preprocess(List)} gives the batch itself, for {@link ImageEncoder} or a
 * {@link ZeroShotClassifier} of your own.
 *
 * <p><b>Which classes.</b> {@link #classNames()} are the classes {@link #classify(Path)} scores: the classes of the
 * checkpoint's learned context prompts (see {@link PromptLearner}), else the classes it was evaluated with while it
 * trained. Class names given by the caller are put into the model's caption template after the normalisation its
 * training captions had ({@link CaptionStyle}: whitespace collapsed and, for a model trained on lower-case reports,
 * lower-cased), so {@code "Pleural Effusion"} and {@code "pleural effusion"} give the same caption; results keep
 * the names as the caller spelt them. Each normalisation is logged once.
 *
 * <p>Models a backend loads extend {@link AbstractCleftModel}, which implements the one-call methods once for every
 * engine.
 */
public interface CleftModel extends AutoCloseable {

  /** {@return the name of the backend that loaded this model ({@code "onnx"}, {@code "djl"}, {@code "tf"})} */
  String backendName();

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

  /**
   * {@return the classes {@link #classify(Path)} scores, in column order: those of the checkpoint's learned context
   * prompts, else the classes (normalised) it was evaluated with while it trained; empty when it records neither}
   */
  default List<String> classNames() {
    if (source().promptFile().isPresent()) {
      return source().manifest().prompt().classNames();
    }
    return captionStyle().classes();
  }

  /**
   * {@return the model's own classifier over {@link #classNames()}: its learned prompts, else zero-shot captions of
   * the classes it was evaluated with; made once and owned by the model (do not close it)}
   *
   * @throws IllegalStateException naming the checkpoint when it has no learned prompts and records no classes
   */
  ZeroShotClassifier classifier();

  /**
   * {@return images decoded and preprocessed as this model takes them, one batch (for a few images: {@link
   * #classify(List)} and {@link #embedImages(List)} keep any number of images in bounded memory)}
   *
   * @param images PNG, JPEG, TIFF or DICOM files, told apart by their bytes
   * @throws ImageReadException naming the first file that is not a readable image
   */
  ImageBatch preprocess(List<Path> images);

  /**
   * {@return a decoded image preprocessed as this model takes it, a batch of one}
   *
   * @param image an 8-bit grey or RGB image (such as {@code cleft-data}'s {@code UInt8Image})
   */
  default ImageBatch preprocess(PixelImage image) {
    return ImagePreprocessor.find().evaluationBatch(List.of(image), imageSize());
  }

  /**
   * {@return a Java image, made grey the way decoded files are, preprocessed as this model takes it}
   *
   * @param image any {@link BufferedImage}
   */
  default ImageBatch preprocess(BufferedImage image) {
    return preprocess(ImagePreprocessor.find().fromBufferedImage(image));
  }

  /**
   * {@return the probabilities of {@link #classNames()} for one image file}
   *
   * @param image a PNG, JPEG, TIFF or DICOM file
   * @throws ImageReadException naming the file when it is not a readable image
   * @throws IllegalStateException when the model has no classes of its own (see {@link #classifier()})
   */
  default Classification classify(Path image) {
    return classify(List.of(image));
  }

  /**
   * {@return the probabilities of {@link #classNames()} for each image file, one row per file in order}
   *
   * @param images PNG, JPEG, TIFF or DICOM files
   * @throws ImageReadException naming the first file that is not a readable image
   * @throws IllegalStateException when the model has no classes of its own (see {@link #classifier()})
   */
  Classification classify(List<Path> images);

  /**
   * {@return zero-shot probabilities of these classes for one image file}; see {@link #classify(List, List)}
   *
   * @param image a PNG, JPEG, TIFF or DICOM file
   * @param classNames the classes, as the application spells them
   * @throws ImageReadException naming the file when it is not a readable image
   */
  default Classification classify(Path image, List<String> classNames) {
    return classify(List.of(image), classNames);
  }

  /**
   * {@return zero-shot probabilities of these classes for each image file}. The class captions are built as in
   * {@link #zeroShot(List)} and encoded once per distinct list (the model keeps the classifier for the next call).
   *
   * @param images PNG, JPEG, TIFF or DICOM files
   * @param classNames the classes, in column order, as the application spells them
   * @throws ImageReadException naming the first file that is not a readable image
   * @throws IllegalArgumentException when there is no class or a name is blank
   */
  Classification classify(List<Path> images, List<String> classNames);

  /**
   * {@return the probabilities of {@link #classNames()} for a decoded image}
   *
   * @param image an 8-bit grey or RGB image (such as {@code cleft-data}'s {@code UInt8Image})
   */
  default Classification classify(PixelImage image) {
    return classifier().classify(preprocess(image));
  }

  /**
   * {@return the probabilities of {@link #classNames()} for a Java image}
   *
   * @param image any {@link BufferedImage}
   */
  default Classification classify(BufferedImage image) {
    return classifier().classify(preprocess(image));
  }

  /**
   * {@return the L2-normalised embedding of one image file, one row}
   *
   * @param image a PNG, JPEG, TIFF or DICOM file
   * @throws ImageReadException naming the file when it is not a readable image
   */
  default Embeddings embedImage(Path image) {
    return embedImages(List.of(image));
  }

  /**
   * {@return the L2-normalised embeddings of image files, one row per file in order}
   *
   * @param images PNG, JPEG, TIFF or DICOM files
   * @throws ImageReadException naming the first file that is not a readable image
   */
  Embeddings embedImages(List<Path> images);

  /**
   * {@return the L2-normalised embedding of a decoded image, one row}
   *
   * @param image an 8-bit grey or RGB image
   */
  default Embeddings embedImage(PixelImage image) {
    return imageEncoder().encode(preprocess(image));
  }

  /**
   * {@return the L2-normalised embedding of a Java image, one row}
   *
   * @param image any {@link BufferedImage}
   */
  default Embeddings embedImage(BufferedImage image) {
    return imageEncoder().encode(preprocess(image));
  }

  /** Releases native resources; idempotent. */
  @Override
  void close();
}
