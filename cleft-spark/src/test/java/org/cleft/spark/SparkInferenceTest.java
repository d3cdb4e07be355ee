package org.cleft.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.cleft.api.Backends;
import org.cleft.api.Classification;
import org.cleft.api.CleftModel;
import org.cleft.api.Device;
import org.cleft.api.spi.BackendOptions;
import org.cleft.testkit.Fixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * cleft-spark on {@code local[2]}: the Spark results equal the single-JVM ones file by file, a bad file is a row
 * with its error, the model loads once per executor JVM, and the output resumes.
 */
class SparkInferenceTest {
  private static final List<String> CLASSES = List.of("cardiomegaly", "pleural effusion", "edema");
  private static final Map<String, String> ONE_THREAD = Map.of("onnx.intra_op_threads", "1");
  private static SparkSession spark;
  @TempDir
  static Path tmp;
  private static Path images;
  private static List<Path> good;
  private static List<Path> bad;

  @BeforeAll
  static void start() throws Exception {
    spark = SparkSession.builder().master("local[2]").appName("cleft-spark-test").config("spark.ui.enabled", "false")
        .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "4").getOrCreate();
    images = Files.createDirectories(tmp.resolve("archive/sub"));
    good = new ArrayList<>();
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < 13; i++) {
      BufferedImage image = new BufferedImage(90 + 4 * i, 84, BufferedImage.TYPE_BYTE_GRAY);
      for (int y = 0; y < image.getHeight(); y++) {
        for (int x = 0; x < image.getWidth(); x++) {
          image.getRaster().setSample(x, y, 0, (x * (i + 2) + y * 5 + random.nextInt(30)) & 0xFF);
        }
      }
      // one name with a space, '#' and '%': Spark's path column leaves them unescaped, so it is not a URI
      String name = i == 5 ? "image 5 #2 100%.png" : "image-" + i + ".png";
      Path png = (i % 2 == 0 ? images : images.getParent()).resolve(name);
      ImageIO.write(image, "png", png.toFile());
      good.add(png);
    }
    Path dicom = images.resolve("cr.dcm");
    try (InputStream in = SparkInferenceTest.class.getResourceAsStream(
        "/org/cleft/testkit/images/mono16_jpeg_lossless.dcm")) {
      Files.copy(in, dicom);
    }
    good.add(dicom);
    bad = List.of(Files.writeString(images.resolve("report.png"), "not an image"),
        Files.write(images.resolve("truncated.dcm"), Arrays.copyOf(Files.readAllBytes(dicom), 300)));
    Files.writeString(images.resolve("notes.txt"), "not matched by the glob");
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
    ExecutorModels.closeAll();
  }

  private static SparkInference inference() {
    return SparkInference.builder(Fixtures.tiny()).session(spark).backend("onnx").classes(CLASSES).batchSize(4)
        .intraOpThreads(1).build();
  }

  @Test
  void sparkEqualsTheSingleJvmFileByFileAndABadFileIsARowWithItsError() throws Exception {
    ExecutorModels.closeAll(); // the other test may have loaded this JVM's model already
    int loadsBefore = ExecutorModels.loads();
    SparkInference cleft = inference();
    Dataset<Row> paths = SparkInference.listImages(spark, tmp.resolve("archive").toString(), "*.{png,dcm}")
        .repartition(3);
    List<Row> rows = cleft.classify(paths).collectAsList();
    assertThat(rows).hasSize(good.size() + bad.size());
    assertThat(cleft.classNames()).isEqualTo(CLASSES);
    Map<Path, Row> byPath = new HashMap<>();
    for (Row r : rows) {
      byPath.put(SparkPaths.local(r.getString(0)), r);
    }
    BackendOptions d = BackendOptions.defaults();
    try (CleftModel model = Backends.load(Fixtures.tiny(), "onnx", new BackendOptions(d.device(), d.precision(),
        ONE_THREAD, d.frozenWeights()))) {
      for (Path file : good) {
        Row r = byPath.get(file);
        assertThat(r).as(file.toString()).isNotNull();
        assertThat(r.isNullAt(4)).as("error of " + file + ": " + r.get(4)).isTrue();
        Classification alone = model.classify(file, CLASSES);
        float[] embedding = model.embedImages(List.of(file)).row(0);
        assertThat(maxAbsDiff(floats(r.getList(1)), embedding)).as("embedding of " + file).isLessThan(1e-5);
        assertThat(maxAbsDiff(floats(r.getList(2)), alone.probabilities()[0])).as("probabilities of " + file)
            .isLessThan(1e-5);
        assertThat(r.getString(3)).as("prediction for " + file).isEqualTo(alone.predictedNames().get(0));
      }
    }
    for (Path file : bad) {
      Row r = byPath.get(file);
      assertThat(r.getString(4)).as("error of " + file).contains(file.getFileName().toString());
      assertThat(r.isNullAt(1) && r.isNullAt(2) && r.isNullAt(3)).isTrue();
    }
    assertThat(cleft.executorLoads()).as("model loads on the executors (one JVM in local mode)").isEqualTo(1);
    assertThat(ExecutorModels.loads() - loadsBefore).isEqualTo(1);
    List<Row> embedded = cleft.embed(paths).collectAsList();
    assertThat(embedded).hasSize(rows.size());
    assertThat(ExecutorModels.loads() - loadsBefore).as("the second job reuses the executor's model").isEqualTo(1);
  }

  @Test
  void deviceAutoFallsBackToTheCpuWithTheSameEmbeddings() {
    // no GPU here: auto takes the CPU (with a warning); on a CUDA machine this is the GPU path's equality check
    Dataset<Row> paths = SparkInference.listImages(spark, tmp.resolve("archive").toString(), "*.png");
    Map<String, float[]> cpu = embeddings(inference().embed(paths));
    Map<String, float[]> auto = embeddings(SparkInference.builder(Fixtures.tiny()).session(spark).backend("onnx")
        .device(Device.auto()).batchSize(4).intraOpThreads(1).build().embed(paths));
    assertThat(auto.keySet()).isEqualTo(cpu.keySet()).hasSize(14); // 13 PNGs and report.png
    for (Map.Entry<String, float[]> e : cpu.entrySet()) {
      if (e.getValue() != null) {
        assertThat(maxAbsDiff(auto.get(e.getKey()), e.getValue())).as(e.getKey()).isLessThan(1e-5);
      }
    }
  }

  private static Map<String, float[]> embeddings(Dataset<Row> rows) {
    Map<String, float[]> out = new HashMap<>();
    for (Row r : rows.collectAsList()) {
      out.put(r.getString(0), r.isNullAt(1) ? null : floats(r.getList(1)));
    }
    return out;
  }

  @Test
  void imagesOnAnotherHadoopFileSystemAreReadThroughItAndTheirCopiesDeleted() throws Exception {
    spark.sparkContext().hadoopConfiguration().set("fs." + RemoteFileSystem.SCHEME + ".impl",
        RemoteFileSystem.class.getName());
    Path staging = Path.of(System.getProperty("java.io.tmpdir"));
    Set<Path> before = stagingFolders(staging);
    List<Path> files = new ArrayList<>(good);
    files.addAll(bad);
    List<String> remote = new ArrayList<>();
    for (Path f : files) {
      remote.add(RemoteFileSystem.SCHEME + "://" + f.toAbsolutePath());
    }
    Dataset<Row> paths = spark.createDataset(remote, Encoders.STRING()).toDF("path").repartition(2);
    Map<String, Row> byPath = new HashMap<>();
    for (Row r : inference().classify(paths).collectAsList()) {
      byPath.put(r.getString(0), r);
    }
    Dataset<Row> local = spark.createDataset(files.stream().map(Path::toString).toList(), Encoders.STRING())
        .toDF("path");
    Map<String, Row> expected = new HashMap<>();
    for (Row r : inference().classify(local).collectAsList()) {
      expected.put(RemoteFileSystem.SCHEME + "://" + r.getString(0), r);
    }
    assertThat(byPath.keySet()).containsExactlyInAnyOrderElementsOf(remote);
    for (String p : remote) {
      Row r = byPath.get(p);
      Row want = expected.get(p);
      if (want.isNullAt(4)) {
        assertThat(r.isNullAt(4)).as("error of " + p + ": " + r.get(4)).isTrue();
        assertThat(maxAbsDiff(floats(r.getList(1)), floats(want.getList(1)))).as(p).isLessThan(1e-6);
        assertThat(r.getString(3)).as(p).isEqualTo(want.getString(3));
      } else {
        assertThat(r.getString(4)).as("the error names the file, not its local copy").contains(p)
            .doesNotContain("cleft-spark-");
      }
    }
    assertThat(stagingFolders(staging)).as("staged copies left in " + staging).isEqualTo(before);
  }

  private static Set<Path> stagingFolders(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().startsWith("cleft-spark-")).collect(Collectors.toSet());
    }
  }

  @Test
  void theListedPathsAreTheBinaryFileSourcesOwn() {
    String root = tmp.resolve("archive").toString();
    List<String> listed = SparkInference.listImages(spark, root, "*.{png,dcm}").as(Encoders.STRING())
        .collectAsList();
    List<String> scanned = spark.read().format("binaryFile").option("recursiveFileLookup", "true")
        .option("pathGlobFilter", "*.{png,dcm}").load(root).select("path").as(Encoders.STRING()).collectAsList();
    assertThat(listed).hasSize(good.size() + bad.size()).containsExactlyInAnyOrderElementsOf(scanned)
        .anyMatch(p -> p.contains("image 5 #2 100%.png"));
  }

  @Test
  void aRerunAddsNothingAndRestoresDeletedFiles() throws Exception {
    SparkInference cleft = inference();
    String out = tmp.resolve("results").toString();
    Dataset<Row> paths = SparkInference.listImages(spark, tmp.resolve("archive").toString(), "*.{png,dcm}");
    int files = good.size() + bad.size();
    assertThat(ResumableOutput.run(spark, cleft, ResumableOutput.Task.CLASSIFY, paths, out,
        ResumableOutput.Format.PARQUET, 5)).isEqualTo(files);
    assertThat(count(out)).isEqualTo(files);
    assertThat(ResumableOutput.run(spark, cleft, ResumableOutput.Task.CLASSIFY, paths, out,
        ResumableOutput.Format.PARQUET, 5)).as("a rerun").isZero();
    assertThat(count(out)).isEqualTo(files);
    List<Path> parts;
    try (Stream<Path> s = Files.list(Path.of(out))) {
      parts = s.filter(p -> p.getFileName().toString().endsWith(".parquet")).sorted().toList();
    }
    assertThat(parts.size()).as("part files of three chunks").isGreaterThan(2);
    long deleted = 0;
    for (int i = 0; i < parts.size(); i += 2) {
      deleted += spark.read().parquet(parts.get(i).toString()).count();
      Files.delete(parts.get(i));
    }
    assertThat(deleted).isPositive();
    assertThat(count(out)).isEqualTo(files - deleted);
    assertThat(ResumableOutput.run(spark, cleft, ResumableOutput.Task.CLASSIFY, paths, out,
        ResumableOutput.Format.PARQUET, 5)).as("the rerun after deleting").isEqualTo(deleted);
    assertThat(count(out)).isEqualTo(files);
    assertThat(spark.read().parquet(out).select("path").distinct().count()).isEqualTo(files);
  }

  private static long count(String out) {
    return spark.read().parquet(out).count();
  }

  private static float[] floats(List<Object> values) {
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = ((Number) values.get(i)).floatValue();
    }
    return out;
  }

  private static double maxAbsDiff(float[] a, float[] b) {
    assertThat(a).hasSameSizeAs(b);
    double worst = 0;
    for (int i = 0; i < a.length; i++) {
      worst = Math.max(worst, Math.abs(a[i] - b[i]));
    }
    return worst;
  }
}
