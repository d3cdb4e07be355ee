package org.cleft.samples.zeroshot;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.cleft.api.Backends;
import org.cleft.api.Classification;
import org.cleft.api.CleftModel;
import org.cleft.api.checkpoint.CheckpointException;

/**
 * Zero-shot classification of chest X-rays (PNG, JPEG or DICOM files) with a CLEFT checkpoint.
 *
 * <p>This code names no backend and compiles against {@code cleft-api} alone. {@link Backends#load(Path)} finds
 * the backend on the class path through {@link java.util.ServiceLoader}, so the same source runs on ONNX Runtime
 * when the pom has {@code cleft-onnx} as a runtime dependency and on DJL / libtorch when it has {@code cleft-djl}.
 * The model decodes each file by its bytes and preprocesses it as it was trained.
 */
public final class ZeroShotApp {
  /** The five CheXpert competition classes; the model puts each into its caption template. */
  static final List<String> CHEXPERT_FIVE =
      List.of("Atelectasis", "Cardiomegaly", "Consolidation", "Edema", "Pleural Effusion");

  private ZeroShotApp() {}

  /**
   * Classifies each image and prints the probability of each of the five CheXpert competition classes.
   *
   * @param args {@code CHECKPOINT_DIR IMAGE...}
   * @throws CheckpointException when the checkpoint is missing or malformed (the message names the file)
   */
  public static void main(String[] args) throws CheckpointException {
    if (args.length < 2) {
      System.err.println("usage: ZeroShotApp CHECKPOINT_DIR IMAGE...");
      System.exit(2);
    }
    List<Path> images = Arrays.stream(args, 1, args.length).map(Path::of).toList();
    try (CleftModel model = Backends.load(Path.of(args[0]))) {
      Classification result = model.classify(images, CHEXPERT_FIVE);
      System.out.println("backend: " + model.backendName());
      for (int i = 0; i < images.size(); i++) {
        System.out.println("image: " + images.get(i));
        result.probabilitiesOf(i).forEach((name, p) -> System.out.printf(Locale.ROOT, "probability %s: %.6f%n",
            name, p));
        System.out.println("prediction: " + result.predictedNames().get(i));
      }
    }
  }
}
