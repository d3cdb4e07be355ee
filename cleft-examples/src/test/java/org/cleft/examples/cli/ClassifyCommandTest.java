package org.cleft.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.cleft.api.Classification;
import org.cleft.api.ImageBatch;
import org.cleft.api.safetensors.SafetensorsFile;
import org.cleft.api.safetensors.SafetensorsWriter;
import org.cleft.api.safetensors.Tensor;
import org.cleft.api.spi.BackendOptions;
import org.cleft.data.image.ImageDecoder;
import org.cleft.data.transform.ImagePipeline;
import org.cleft.data.transform.ImageTensor;
import org.cleft.onnx.OnnxBackend;
import org.cleft.onnx.OnnxCleftModel;
import org.cleft.testkit.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cleft classify} on the tiny checkpoint with real PNG and JPEG files. */
class ClassifyCommandTest {
  static final String CLASSES = "atelectasis,edema,cardiomegaly,pleural effusion,consolidation";

  @TempDir
  Path tmp;

  private static String image(String name) {
    return Fixtures.preprocess().resolve("images").resolve(name).toString();
  }

  @Test
  void onnxPrintsEveryClassPerImageAsTheLibraryComputesIt() throws Exception {
    CliRun run = CliRun.of("classify", "--model", Fixtures.tiny().toString(), "--classes", CLASSES, "--json",
        image("gray8_tall.png"), image("jpeg8.jpg"));
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode doc = new ObjectMapper().readTree(run.out());
    assertThat(doc.get("backend").asText()).isEqualTo("onnx");
    assertThat(doc.get("classes_from").asText()).isEqualTo("captions");
    assertThat(doc.get("results")).hasSize(2);
    // the same images through the library: decode, the evaluation pipeline at the graph's 70 px, zero-shot
    try (OnnxBackend backend = new OnnxBackend(BackendOptions.defaults());
        OnnxCleftModel model = backend.load(Fixtures.tiny())) {
      List<String> classes = List.of(CLASSES.split(","));
      var classifier = model.zeroShot(classes, ClassifyCommand.DEFAULT_TEMPLATE);
      for (int i = 0; i < 2; i++) {
        JsonNode row = doc.get("results").get(i);
        ImageTensor t = ImagePipeline.evaluation(70).apply(new ImageDecoder().decodeGrey(
            Path.of(row.get("image").asText())), new SplittableRandom(0));
        Classification c = classifier.classify(new ImageBatch(t.data(), 1, 3, 70, 70));
        double sum = 0;
        for (int j = 0; j < classes.size(); j++) {
          double p = row.get("probabilities").get(classes.get(j)).asDouble();
          assertThat(p).isCloseTo(c.probabilities()[0][j], org.assertj.core.data.Offset.offset(1e-6));
          sum += p;
        }
        assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
        assertThat(row.get("predicted").asText()).isEqualTo(c.predictedNames().get(0));
      }
    }
  }

  @Test
  void dicomPngAndJpegAreClassifiedTogetherAndDicomIsKnownByItsBytes() throws Exception {
    // a JPEG Lossless DICOM written by dcmtk (the interop fixtures of cleft-data), once as .dcm, once without a suffix
    Path source = Path.of("..", "cleft-data", "src", "test", "resources", "org", "cleft", "data", "dicom", "interop",
        "mono16_jpeg_lossless.dcm");
    Path dcm = java.nio.file.Files.copy(source, tmp.resolve("a.dcm"));
    Path bare = java.nio.file.Files.copy(source, tmp.resolve("IM000001"));
    CliRun run = CliRun.of("classify", "--model", Fixtures.tiny().toString(), "--classes", CLASSES, "--json",
        dcm.toString(), image("gray8_tall.png"), image("jpeg8.jpg"), bare.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode results = new ObjectMapper().readTree(run.out()).get("results");
    assertThat(results).hasSize(4);
    try (OnnxBackend backend = new OnnxBackend(BackendOptions.defaults());
        OnnxCleftModel model = backend.load(Fixtures.tiny())) {
      var classifier = model.zeroShot(List.of(CLASSES.split(",")), ClassifyCommand.DEFAULT_TEMPLATE);
      ImageTensor t = ImagePipeline.evaluation(70).apply(new org.cleft.data.dicom.DicomReader().read(dcm),
          new SplittableRandom(0));
      Classification c = classifier.classify(new ImageBatch(t.data(), 1, 3, 70, 70));
      assertThat(results.get(0).get("predicted").asText()).isEqualTo(c.predictedNames().get(0));
      assertThat(results.get(3).get("probabilities")).isEqualTo(results.get(0).get("probabilities"));
    }
  }

  @Test
  void aFileThatIsNotAnImageIsSkippedByNameUnlessFailFast() throws Exception {
    Path bad = java.nio.file.Files.writeString(tmp.resolve("report.png"), "not an image");
    CliRun run = CliRun.of("classify", "--model", Fixtures.tiny().toString(), "--classes", CLASSES, "--json",
        image("gray8_tall.png"), bad.toString(), image("jpeg8.jpg"));
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).contains("classify: skipping " + bad).contains("skipped 1 of 3 images");
    JsonNode doc = new ObjectMapper().readTree(run.out());
    assertThat(doc.get("results")).hasSize(2);
    assertThat(doc.get("results").get(1).get("image").asText()).isEqualTo(image("jpeg8.jpg"));
    assertThat(doc.get("skipped").get(0).get("image").asText()).isEqualTo(bad.toString());
    assertThat(doc.get("skipped").get(0).get("error").asText()).contains("not a PNG or JPEG image");

    CliRun stop = CliRun.of("classify", "--model", Fixtures.tiny().toString(), "--classes", CLASSES, "--fail-fast",
        image("gray8_tall.png"), bad.toString());
    assertThat(stop.exitCode()).isEqualTo(1);
    assertThat(stop.err()).contains(bad + ": cannot decode");
    assertThat(stop.out()).isEmpty();
  }

  @Test
  void tableListsClassesMostProbableFirst() {
    CliRun run = CliRun.of("classify", "--model", Fixtures.tiny().toString(), "--classes", "edema,no finding",
        "--template", "a chest x ray showing {}", image("gray8_wide.png"));
    assertThat(run.exitCode()).as(run.err()).isZero();
    List<String> lines = run.out().lines().toList();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).contains("gray8_wide.png", "predicted: ");
    double first = Double.parseDouble(lines.get(1).strip().replaceAll(".*\\s", ""));
    double second = Double.parseDouble(lines.get(2).strip().replaceAll(".*\\s", ""));
    assertThat(first).isGreaterThanOrEqualTo(second);
    assertThat(first + second).isCloseTo(1.0, org.assertj.core.data.Offset.offset(2e-4));
  }

  @Test
  void djlBackendRunsTheSameCommand() {
    CliRun run = CliRun.of("classify", "--model", Fixtures.tiny().toString(), "--backend", "djl", "--classes",
        CLASSES, image("gray8_tall.png"));
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("gray8_tall.png", "predicted: ", "pleural effusion");
  }

  @Test
  void learnedPromptsAreUsedWithoutClasses() throws Exception {
    Path ckpt = Fixtures.copy(Fixtures.tiny(), tmp.resolve("tiny"));
    Tensor classEmbeds;
    try (SafetensorsFile f = SafetensorsFile.open(ckpt.resolve("expected.safetensors"))) {
      classEmbeds = Tensor.from(f, "prompt.class_embeds");
    }
    SafetensorsWriter.write(ckpt.resolve("prompt.safetensors"), Map.of("class_embeds", classEmbeds), Map.of());
    Files.writeString(ckpt.resolve("cleft.json"), "{\"format\": \"cleft-checkpoint\", \"format_version\": 1, "
        + "\"prompt\": {\"path\": \"prompt.safetensors\", \"n_ctx\": 8, \"class_names\": "
        + "[\"atelectasis\", \"edema\", \"cardiomegaly\", \"pleural effusion\", \"consolidation\"]}}");
    CliRun run = CliRun.of("classify", "--model", ckpt.toString(), "--json", image("rgb8.png"));
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("\"classes_from\" : \"prompt-tuned\"", "\"consolidation\"");
  }

  @Test
  void noClassesAndNoPromptsIsAUsageError() {
    CliRun run = CliRun.of("classify", "--model", Fixtures.tiny().toString(), image("jpeg8.jpg"));
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().lines()).hasSize(1);
    assertThat(run.err()).startsWith("cleft: no --classes given").contains("cleft classify --help");
  }

  @Test
  void wrongImageSizeNamesBothSizes() {
    CliRun run = CliRun.of("classify", "--model", Fixtures.tiny().toString(), "--classes", CLASSES,
        "--image-size", "56", image("jpeg8.jpg"));
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err().lines().filter(l -> !l.startsWith("cleft: note: "))).hasSize(1);
    assertThat(run.err()).startsWith("cleft: ").contains("56x56", "70x70", "hint:", "--image-size");
  }

  @Test
  void checkpointWithoutGraphsPointsToExport() throws Exception {
    Path ckpt = Fixtures.copy(Fixtures.tiny(), tmp.resolve("tiny"));
    Files.delete(ckpt.resolve("onnx/text_encoder.onnx"));
    CliRun run = CliRun.of("classify", "--model", ckpt.toString(), "--classes", CLASSES, image("jpeg8.jpg"));
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err().lines()).hasSize(1);
    assertThat(run.err()).startsWith("cleft: ").contains("text_encoder.onnx", "cleft export", "--backend djl");
  }

  @Test
  void missingImageAndBadDeviceAreOneLine() {
    CliRun missing = CliRun.of("classify", "--model", Fixtures.tiny().toString(), "--classes", CLASSES,
        tmp.resolve("absent.png").toString());
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err().lines()).hasSize(1);
    assertThat(missing.err()).contains("absent.png", "hint:");
    CliRun device = CliRun.of("classify", "--model", Fixtures.tiny().toString(), "--classes", CLASSES,
        "--device", "tpu", image("jpeg8.jpg"));
    assertThat(device.exitCode()).isEqualTo(2);
    assertThat(device.err()).startsWith("cleft: --device").contains("cpu, auto, cuda");
  }

  @Test
  void explicitCudaWithTheCpuJarSaysWhatIsMissing() {
    CliRun run = CliRun.of("classify", "--model", Fixtures.tiny().toString(), "--classes", CLASSES,
        "--device", "cuda:0", image("jpeg8.jpg"));
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err().lines()).hasSize(1);
    assertThat(run.err()).contains("onnxruntime_gpu", "CUDA 12", "cuDNN 9", "hint:");
  }

  @Test
  void helpExplainsEveryOptionAndDefault() {
    CliRun run = CliRun.of("classify", "--help");
    assertThat(run.exitCode()).isZero();
    // words compared with the line breaks of picocli's wrapping as spaces
    assertThat(run.out().replaceAll("\\s+", " ")).contains("--model=DIR", "--backend=NAME", "Default: onnx",
        "--device=DEVICE", "Default: cpu", "--classes=A,B,C", "--template=TEXT", "template the checkpoint records",
        "--raw-classes", "--image-size=PX", "Default: 0", "--batch-size=N", "Default: 16", "--json", "IMAGE",
        "--frozen-dtype=TYPE", "fp32, fp16 or bf16", "Default: fp32");
  }
}
