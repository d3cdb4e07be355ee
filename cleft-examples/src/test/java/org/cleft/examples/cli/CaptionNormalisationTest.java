package org.cleft.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.cleft.api.Backends;
import org.cleft.api.CaptionStyle;
import org.cleft.api.Capability;
import org.cleft.api.ImageBatch;
import org.cleft.api.ZeroShotClassifier;
import org.cleft.api.checkpoint.CleftCheckpoint;
import org.cleft.api.checkpoint.CleftManifest;
import org.cleft.api.spi.Backend;
import org.cleft.api.spi.BackendOptions;
import org.cleft.data.image.ImageDecoder;
import org.cleft.data.synthetic.ChestXrayGenerator;
import org.cleft.data.synthetic.SyntheticChestXrays;
import org.cleft.data.transform.ImagePipeline;
import org.cleft.data.transform.ImageTensor;
import org.cleft.testkit.Fixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Class names spelt as an application or a manifest spells them ({@code "Pleural Effusion"}) give the same
 * probabilities as the spelling of the training captions ({@code "pleural effusion"}) on every zero-shot path:
 * the API, {@code eval} and {@code classify}, on both backends. The checkpoint is the tiny fixture (trained on
 * the reference's lower-case captions) with a {@code cleft.json} recording that, as training writes it.
 */
class CaptionNormalisationTest {
  static final List<String> LOWER = List.of("atelectasis", "cardiomegaly", "consolidation", "edema",
      "pleural effusion");
  static final List<String> CAPITALISED = List.of("Atelectasis", "Cardiomegaly", "Consolidation", "Edema",
      "Pleural  Effusion ");

  @TempDir
  static Path shared;
  static Path model;
  static Path data;

  @BeforeAll
  static void recordLowerCaseCaptions() throws Exception {
    model = Fixtures.copy(Fixtures.tiny(), shared.resolve("model"));
    // the ONNX graph takes 70 px; the same size on DJL keeps the two backends comparable
    new CleftManifest(null, 0, null, new CleftManifest.Vision(null, null, 70), null, null, null,
        CaptionStyle.defaults().withClasses(LOWER)).write(model.resolve(CleftCheckpoint.MANIFEST));
    data = SyntheticChestXrays.write(shared.resolve("chexpert"), 10, 20, 3, new ChestXrayGenerator(70, 0.25));
  }

  @Test
  void apiGivesTheSameProbabilitiesOnEveryBackend() throws Exception {
    ImageBatch images = images();
    float[][] djl;
    float[][] onnx;
    try (Backend backend = Backends.open(Capability.INFERENCE, "djl", BackendOptions.defaults())) {
      djl = probabilities(backend.load(model).zeroShot(CAPITALISED), images);
    }
    try (Backend backend = Backends.open(Capability.INFERENCE, "onnx", BackendOptions.defaults())) {
      onnx = probabilities(backend.load(model).zeroShot(CAPITALISED), images);
    }
    assertThat(maxAbsDiff(djl, onnx)).isLessThan(1e-5);
  }

  /** classify prints, on each backend, the probabilities the API gives for the same image and class names. */
  @ParameterizedTest
  @ValueSource(strings = {"djl", "onnx"})
  void classifyPrintsTheApisProbabilities(String backendName) throws Exception {
    ImageBatch first = images().slice(0, 1);
    float[] api;
    try (Backend backend = Backends.open(Capability.INFERENCE, backendName, BackendOptions.defaults())) {
      api = probabilities(backend.load(model).zeroShot(CAPITALISED), first)[0];
    }
    CliRun run = CliRun.of("classify", "--model", model.toString(), "--backend", backendName, "--json",
        "--classes", String.join(",", CAPITALISED), validImages().get(0).toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    double[] printed = probabilities(run.out(), CAPITALISED.stream().map(String::strip).toList());
    for (int j = 0; j < api.length; j++) {
      assertThat(printed[j]).as(CAPITALISED.get(j)).isCloseTo(api[j], org.assertj.core.data.Offset.offset(1e-6));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"djl", "onnx"})
  void classifyNormalisesCapitalisedNames(String backend) throws Exception {
    String image = validImages().get(0).toString();
    CliRun lower = CliRun.of("classify", "--model", model.toString(), "--backend", backend, "--json",
        "--classes", String.join(",", LOWER), image);
    CliRun capitalised = CliRun.of("classify", "--model", model.toString(), "--backend", backend, "--json",
        "--classes", String.join(",", CAPITALISED), image);
    CliRun raw = CliRun.of("classify", "--model", model.toString(), "--backend", backend, "--json",
        "--classes", String.join(",", CAPITALISED), "--raw-classes", image);
    assertThat(lower.exitCode()).as(lower.err()).isZero();
    assertThat(capitalised.exitCode()).as(capitalised.err()).isZero();
    assertThat(raw.exitCode()).as(raw.err()).isZero();
    double[] a = probabilities(lower.out(), LOWER);
    double[] b = probabilities(capitalised.out(), List.of("Atelectasis", "Cardiomegaly", "Consolidation", "Edema",
        "Pleural  Effusion")); // classify strips the names it is given
    assertThat(b).containsExactly(a);
    assertThat(capitalised.err()).contains("cleft: note: class names normalised", "'Edema' -> 'edema'");
    assertThat(lower.err()).doesNotContain("note:");
    assertThat(raw.err()).doesNotContain("note:");
    double[] r = probabilities(raw.out(), List.of("Atelectasis", "Cardiomegaly", "Consolidation", "Edema",
        "Pleural  Effusion"));
    assertThat(r).isNotEqualTo(a);
  }

  @ParameterizedTest
  @ValueSource(strings = {"djl", "onnx"})
  void evalNormalisesTheManifestsColumnNames(String backend) throws Exception {
    Path manifest = data.resolve("valid_manifest.csv");
    // no --classes: the manifest's CheXpert columns, capitalised, become the class names
    Path columns = shared.resolve("columns-" + backend + ".json");
    Path lower = shared.resolve("lower-" + backend + ".json");
    CliRun byColumns = CliRun.of("eval", "--model", model.toString(), "--backend", backend, "--manifest",
        manifest.toString(), "--json", columns.toString());
    // the same rows with lower-case columns, named as the training captions spell the classes
    List<String> rows = new java.util.ArrayList<>(Files.readAllLines(manifest));
    rows.set(0, rows.get(0).toLowerCase(java.util.Locale.ROOT));
    Path lowerManifest = Files.write(data.resolve("valid_lower_" + backend + ".csv"), rows);
    CliRun byLower = CliRun.of("eval", "--model", model.toString(), "--backend", backend, "--manifest",
        lowerManifest.toString(), "--classes", String.join(",", LOWER), "--json", lower.toString());
    assertThat(byColumns.exitCode()).as(byColumns.err()).isZero();
    assertThat(byLower.exitCode()).as(byLower.err()).isZero();
    assertThat(byColumns.err()).contains("cleft: note: class names normalised", "'Pleural Effusion' -> 'pleural effusion'");
    assertThat(byLower.err()).doesNotContain("note:");
    JsonNode a = new ObjectMapper().readTree(columns.toFile()).get("metrics");
    JsonNode b = new ObjectMapper().readTree(lower.toFile()).get("metrics");
    for (String metric : List.of("zero_shot_accuracy", "zero_shot_macro_auc")) {
      assertThat(a.get(metric).asDouble()).as(metric).isEqualTo(b.get(metric).asDouble());
    }
  }

  private static ImageBatch images() throws Exception {
    List<Path> files = validImages();
    int n = Math.min(4, files.size());
    float[] pixels = new float[n * 3 * 70 * 70];
    for (int i = 0; i < n; i++) {
      ImageTensor t = ImagePipeline.evaluation(70).apply(new ImageDecoder().decodeGrey(files.get(i)),
          new SplittableRandom(0));
      System.arraycopy(t.data(), 0, pixels, i * t.data().length, t.data().length);
    }
    return new ImageBatch(pixels, n, 3, 70, 70);
  }

  private static List<Path> validImages() throws Exception {
    try (var walk = Files.walk(data.resolve("valid"))) {
      return walk.filter(p -> p.toString().endsWith(".jpg") || p.toString().endsWith(".png")).sorted().toList();
    }
  }

  private static float[][] probabilities(ZeroShotClassifier classifier, ImageBatch images) {
    try (classifier) {
      return classifier.classify(images).probabilities();
    }
  }

  private static double[] probabilities(String json, List<String> classes) throws Exception {
    JsonNode p = new ObjectMapper().readTree(json).get("results").get(0).get("probabilities");
    return classes.stream().mapToDouble(c -> p.get(c).asDouble()).toArray();
  }

  private static double maxAbsDiff(float[][] a, float[][] b) {
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a[i].length; j++) {
        max = Math.max(max, Math.abs(a[i][j] - b[i][j]));
      }
    }
    return max;
  }
}
