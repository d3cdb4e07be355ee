package org.cleft.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.cleft.testkit.Fixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task that fails after producing rows is retried ({@code local[2,3]}: up to three attempts) and the output has
 * every file once: the failed attempt's rows are neither lost nor duplicated.
 */
class SparkRetryTest {
  private static SparkSession spark;
  @TempDir
  static Path tmp;

  @BeforeAll
  static void start() throws Exception {
    spark = SparkSession.builder().master("local[2,3]").appName("cleft-spark-retry").config("spark.ui.enabled", "false")
        .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "2").getOrCreate();
    Path dir = Files.createDirectories(tmp.resolve("archive"));
    for (int i = 0; i < 20; i++) {
      BufferedImage image = new BufferedImage(80, 80, BufferedImage.TYPE_BYTE_GRAY);
      for (int y = 0; y < 80; y++) {
        for (int x = 0; x < 80; x++) {
          image.getRaster().setSample(x, y, 0, (x * (i + 1) + y) & 0xFF);
        }
      }
      ImageIO.write(image, "png", dir.resolve("image-" + i + ".png").toFile());
    }
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
  }

  @Test
  void aTaskLostAfterItsFirstBatchIsRetriedWithoutLosingOrDuplicatingRows() throws Exception {
    int before = PartitionInference.INJECTED.get();
    SparkInference cleft = SparkInference.builder(Fixtures.tiny()).session(spark).backend("onnx")
        .classes(List.of("edema", "cardiomegaly")).batchSize(2).intraOpThreads(1).failFirstAttemptOf(0)
        .build();
    Dataset<Row> paths = SparkInference.listImages(spark, tmp.resolve("archive").toString(), "*.png");
    String out = tmp.resolve("results").toString();
    long written = ResumableOutput.run(spark, cleft, ResumableOutput.Task.CLASSIFY, paths, out,
        ResumableOutput.Format.JSON, 100);
    assertThat(PartitionInference.INJECTED.get() - before).as("failures injected").isPositive();
    assertThat(written).isEqualTo(20);
    Dataset<Row> rows = spark.read().schema(SparkInference.CLASSIFY_SCHEMA).json(out);
    assertThat(rows.count()).isEqualTo(20);
    assertThat(rows.select("path").distinct().count()).isEqualTo(20);
    assertThat(rows.filter(rows.col("error").isNotNull()).count()).isZero();
  }
}
