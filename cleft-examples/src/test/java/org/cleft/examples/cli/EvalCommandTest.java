package org.cleft.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.cleft.api.Backends;
import org.cleft.api.Capability;
import org.cleft.api.CleftModel;
import org.cleft.api.ImageBatch;
import org.cleft.api.ZeroShotClassifier;
import org.cleft.api.spi.Backend;
import org.cleft.api.spi.BackendOptions;
import org.cleft.data.dataset.ChexpertClasses;
import org.cleft.data.image.ImageDecoder;
import org.cleft.data.manifest.LoadedDataset;
import org.cleft.data.manifest.ManifestLoader;
import org.cleft.data.manifest.ManifestSpec;
import org.cleft.data.manifest.Sample;
import org.cleft.data.synthetic.ChestXrayGenerator;
import org.cleft.data.synthetic.SyntheticChestXrays;
import org.cleft.data.transform.ImagePipeline;
import org.cleft.data.transform.ImageTensor;
import org.cleft.testkit.Fixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cleft eval} on the tiny fixture checkpoint and a synthetic CheXpert set at its input size (70, the fixture's). */
class EvalCommandTest {
  @TempDir
  static Path shared;
  static Path root;

  @TempDir
  Path tmp;

  @BeforeAll
  static void writeData() {
    root = SyntheticChestXrays.write(shared.resolve("chexpert"), 30, 16, 3, new ChestXrayGenerator(56, 0.25));
  }

  private static String model() {
    return Fixtures.tiny().toString();
  }

  @Test
  void zeroShotOnChexpertMatchesADirectComputationAndWritesJsonAndCharts() throws Exception {
    Path json = tmp.resolve("out/eval.json");
    Path charts = tmp.resolve("charts");
    CliRun run = CliRun.of("eval", "--model", model(), "--dataset", "chexpert", "--data",
        root.resolve("valid.csv").toString(), "--json", json.toString(), "--charts", charts.toString(),
        "--batch-size", "5");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("zero-shot accuracy", "zero-shot macro AUC", "confusion matrix", "Atelectasis");
    JsonNode report = new ObjectMapper().readTree(json.toFile());
    double accuracy = report.get("metrics").get("zero_shot_accuracy").asDouble();
    assertThat(accuracy).isCloseTo(directAccuracy(), within(1e-9));
    assertThat(report.get("classes")).hasSize(5);
    long cmTotal = 0;
    for (JsonNode row : report.get("confusion_matrix")) {
      for (JsonNode v : row) {
        cmTotal += v.asLong();
      }
    }
    assertThat(cmTotal).isEqualTo(report.get("metrics").get("zero_shot_accuracy_rows").asLong());
    assertThat(report.get("metrics").has("zero_shot_macro_auc")).isTrue();
    assertThat(charts.resolve("roc.png")).isRegularFile();
    assertThat(charts.resolve("confusion.png")).isRegularFile();
  }

  /**
   * Accuracy computed without the command, the batch loader or the evaluation package: each image of
   * the manifest preprocessed and classified alone; correct when the argmax is one of its positives.
   */
  private static double directAccuracy() throws Exception {
    LoadedDataset d = new ManifestLoader(ManifestSpec.of("path", "report", ChexpertClasses.FIVE.toArray(String[]::new)))
        .load(root.resolve("valid_manifest.csv"));
    ImageDecoder decoder = new ImageDecoder();
    int correct = 0;
    int labelled = 0;
    try (Backend backend = Backends.open(Capability.INFERENCE, "djl", BackendOptions.defaults())) {
      CleftModel m = backend.load(Fixtures.tiny());
      ZeroShotClassifier zs = m.zeroShot(ChexpertClasses.FIVE, EvalCommand.DEFAULT_TEMPLATE);
      for (Sample s : d.samples()) {
        ImageTensor t = ImagePipeline.evaluation(70).apply(decoder.decodeGrey(s.image()), new SplittableRandom(0));
        int predicted = zs.classify(new ImageBatch(t.data(), 1, t.channels(), t.height(), t.width())).predicted()[0];
        float[] labels = s.labels();
        boolean any = false;
        for (float l : labels) {
          any |= l == 1f;
        }
        if (any) {
          labelled++;
          correct += labels[predicted] == 1f ? 1 : 0;
        }
      }
    }
    assertThat(labelled).isPositive();
    return (double) correct / labelled;
  }

  @Test
  void manifestWithLinearProbeReportsEveryFraction() throws Exception {
    Path json = tmp.resolve("probe.json");
    CliRun run = CliRun.of("eval", "--model", model(), "--manifest", root.resolve("valid_manifest.csv").toString(),
        "--linear-probe", "0.5,1", "--train-manifest", root.resolve("train_manifest.csv").toString(),
        "--json", json.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("linear probe", "50%", "100%");
    JsonNode metrics = new ObjectMapper().readTree(json.toFile()).get("metrics");
    assertThat(metrics.get("linear_probe_100pct_accuracy").asDouble()).isBetween(0.0, 1.0);
    assertThat(metrics.get("linear_probe_100pct_train_rows").asInt()).isEqualTo(singlePositiveRows("train_manifest.csv"));
    assertThat(metrics.get("linear_probe_100pct_test_rows").asInt()).isEqualTo(singlePositiveRows("valid_manifest.csv"));
    assertThat(metrics.get("linear_probe_50pct_train_rows").asInt())
        .isLessThan(metrics.get("linear_probe_100pct_train_rows").asInt());
  }

  /** Rows of a synthetic manifest with exactly one of the five classes positive, read from the CSV text. */
  private static int singlePositiveRows(String manifest) throws Exception {
    int n = 0;
    for (String line : Files.readAllLines(root.resolve(manifest)).subList(1, Files.readAllLines(root.resolve(manifest)).size())) {
      String[] cells = line.split(",");
      int positives = 0;
      for (int i = cells.length - 5; i < cells.length; i++) {
        positives += cells[i].equals("1") ? 1 : 0;
      }
      n += positives == 1 ? 1 : 0;
    }
    return n;
  }

  @Test
  void helpExplainsEveryOptionWithDefaults() {
    CliRun run = CliRun.of("eval", "--help");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("Usage: cleft eval", "--manifest", "--dataset", "--linear-probe", "--prompt-tuned",
        "cleft.json 'captions'", "--raw-classes", "Default: 32", "Default: djl");
  }

  @Test
  void usageErrorsAreOneLine() {
    for (List<String> args : List.of(
        List.of("eval", "--model", model()),
        List.of("eval", "--model", model(), "--manifest", "a.csv", "--dataset", "chexpert", "--data", "b"),
        List.of("eval", "--model", model(), "--dataset", "mimic", "--data", "b"),
        List.of("eval", "--model", model(), "--dataset", "chexpert"),
        List.of("eval", "--model", model(), "--manifest", "a.csv", "--linear-probe", "0.1"),
        List.of("eval", "--model", model(), "--manifest", "a.csv", "--template", "no placeholder"))) {
      CliRun run = CliRun.of(args.toArray(String[]::new));
      assertThat(run.exitCode()).as(args.toString()).isEqualTo(2);
      assertThat(run.err().strip().lines()).as(args.toString()).hasSize(1);
      assertThat(run.err()).contains("see 'cleft eval --help'");
    }
  }

  @Test
  void failuresAreOneLineWithAHint() {
    String data = root.resolve("valid_manifest.csv").toString();
    CliRun noModel = CliRun.of("eval", "--model", tmp.resolve("absent").toString(), "--manifest", data);
    CliRun noData = CliRun.of("eval", "--model", model(), "--manifest", tmp.resolve("none.csv").toString());
    CliRun badBackend = CliRun.of("eval", "--model", model(), "--manifest", data, "--backend", "nope");
    CliRun noPrompts = CliRun.of("eval", "--model", model(), "--manifest", data, "--prompt-tuned");
    for (CliRun run : List.of(noModel, noData, badBackend, noPrompts)) {
      assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
      assertThat(run.err().strip().lines()).as(run.err()).hasSize(1);
      assertThat(run.err()).startsWith("cleft: ").contains("hint:");
    }
    assertThat(noModel.err()).contains("absent");
    assertThat(noData.err()).contains("none.csv");
    assertThat(badBackend.err()).contains("nope", "djl");
    assertThat(noPrompts.err()).contains("no learned prompts");
  }
}
