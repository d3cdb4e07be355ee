package org.cleft.samples.zeroshot;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.cleft.api.Backends;
import org.cleft.api.Capability;
import org.cleft.api.Classification;
import org.cleft.api.CleftModel;
import org.cleft.api.ImageBatch;
import org.cleft.api.ZeroShotClassifier;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.checkpoint.CleftCheckpoint;
import org.cleft.api.spi.Backend;
import org.cleft.data.image.ImageDecoder;
import org.cleft.data.image.UInt8Image;
import org.cleft.data.transform.ImagePipeline;
import org.cleft.data.transform.ImageTensor;

/**
 * Zero-shot classification of one chest X-ray with a CLEFT checkpoint.
 *
 * <p>This code names no backend: it compiles against {@code cleft-api} and {@code cleft-data} only.
 * {@link Backends#open(Capability)} finds the backend on the class path through
 * {@link java.util.ServiceLoader}, so the same source runs on DJL / libtorch when the pom has
 * {@code cleft-djl} as a runtime dependency and on ONNX Runtime when it has {@code cleft-onnx}.
 * {@code -Dcleft.backend=NAME} or {@code CLEFT_BACKEND=NAME} picks one when several are present.
 */
public final class ZeroShotApp {
  /** The five CheXpert competition classes. */
  static final List<String> CHEXPERT_FIVE =
      List.of("Atelectasis", "Cardiomegaly", "Consolidation", "Edema", "Pleural Effusion");
  /** The caption every class name is put into. */
  static final String TEMPLATE = "this is a chest x ray of a patient with {}";

  private ZeroShotApp() {}

  /**
   * Classifies one image and prints the probability of each of the five CheXpert competition classes.
   *
   * @param args {@code CHECKPOINT_DIR IMAGE [SIZE]}: the image side the tower takes; 0 or absent means
   *     the checkpoint's {@code cleft.json} {@code vision.image_size}, else 224
   * @throws CheckpointException when the checkpoint is missing or malformed (the message names the file)
   */
  public static void main(String[] args) throws CheckpointException {
    if (args.length < 2 || args.length > 3) {
      System.err.println("usage: ZeroShotApp CHECKPOINT_DIR IMAGE.png [SIZE]");
      System.exit(2);
    }
    Path checkpoint = Path.of(args[0]);
    Path image = Path.of(args[1]);
    int size = args.length > 2 ? Integer.parseInt(args[2]) : 0;
    if (size <= 0) {
      int fromManifest = CleftCheckpoint.open(checkpoint).manifest().vision().imageSize();
      size = fromManifest > 0 ? fromManifest : 224;
    }

    // Decode to grey, then the reference evaluation preprocessing (resize and pad, Otsu crop, resize,
    // centre crop to SIZE, normalisation to [-1, 1]). It draws no random numbers; the generator only
    // satisfies the signature.
    UInt8Image grey = new ImageDecoder().decodeGrey(image);
    ImageTensor tensor = ImagePipeline.evaluation(size).apply(grey, new SplittableRandom(0));
    ImageBatch batch = new ImageBatch(tensor.data(), 1, tensor.channels(), tensor.height(), tensor.width());

    try (Backend backend = Backends.open(Capability.INFERENCE);
        CleftModel model = backend.load(checkpoint);
        ZeroShotClassifier classifier = model.zeroShot(CHEXPERT_FIVE, TEMPLATE)) {
      Classification result = classifier.classify(batch);
      System.out.println("backend: " + backend.name());
      System.out.println("image: " + image + " (" + grey.width() + " x " + grey.height() + ", model input "
          + size + " x " + size + ")");
      float[] probabilities = result.probabilities()[0];
      for (int c = 0; c < CHEXPERT_FIVE.size(); c++) {
        System.out.printf(Locale.ROOT, "probability %s: %.6f%n", CHEXPERT_FIVE.get(c), probabilities[c]);
      }
      System.out.println("prediction: " + result.predictedNames().get(0));
    }
  }
}
