package org.cleft.djl.scale;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.cleft.api.checkpoint.MemoryBudget;
import org.cleft.api.checkpoint.RandomCheckpoint;
import org.cleft.api.safetensors.DType;
import org.cleft.api.safetensors.Safetensors;
import org.cleft.api.safetensors.TensorSource;
import org.cleft.testkit.Fixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A text tower of BioMedLM's shape (GPT-2, n_embd 2560, 32 layers, 20 heads; GPT-2's vocabulary of 50257 for the
 * tokenizer at hand, so 2.65 billion parameters) as BF16 shards (5.3 GB on disk), loaded on djl in a JVM started
 * without options, as the launcher starts one: float32 within 1.1x of the float32 weight bytes at peak RSS, float16
 * frozen weights within 0.6x, and the two embeddings within 1e-2 of each other (relative). Needs about 13 GB of
 * memory and 6 GB of disk; exclude on small machines with {@code -Dcleft.excludedGroups=gpu,large-memory}.
 */
@Tag("large-memory")
class LargeCheckpointLoadTest {
  /** n_embd 2560, 32 layers: 32 x 78.7M + the 50257 x 2560 token table = 2.65e9 parameters. */
  private static final RandomCheckpoint SHAPE = new RandomCheckpoint(2560, 32, 20, 64, 64, 1, 4, 14, 28, 0, 32);
  private static final long MIN_TEXT_PARAMETERS = 1_500_000_000L;

  @TempDir static Path tmp;
  private static Path checkpoint;
  private static long textParameters;
  private static long float32Bytes;

  @BeforeAll
  static void writeCheckpoint() throws Exception {
    checkpoint = SHAPE.writeSharded(tmp.resolve("large"), Fixtures.gpt2Tokenizer(), 50257, 11, DType.BF16, 1L << 30);
    try (TensorSource text = Safetensors.openModel(checkpoint.resolve("text"))) {
      textParameters = MemoryBudget.weightBytes(text, n -> true, DType.F32) / Float.BYTES;
    }
    float32Bytes = 0;
    for (String part : List.of("text", "vision")) {
      try (TensorSource s = Safetensors.openModel(checkpoint.resolve(part))) {
        float32Bytes += MemoryBudget.weightBytes(s, n -> true, DType.F32);
      }
    }
  }

  @Test
  void float32AndFloat16LoadWithinTheirBoundsAndAgree() throws Exception {
    assertThat(textParameters).isGreaterThanOrEqualTo(MIN_TEXT_PARAMETERS);
    Probe full = probe("FP32");
    Probe half = probe("FP16");
    String figures = "weights " + float32Bytes + " B as float32; peak fp32 " + full.peak + " B ("
        + ratio(full.peak) + "x, load " + full.seconds + " s), peak fp16 " + half.peak + " B (" + ratio(half.peak)
        + "x, load " + half.seconds + " s)";
    System.out.println("LargeCheckpointLoadTest: " + figures);
    assertThat(full.peak).as(figures).isLessThanOrEqualTo((long) (1.1 * float32Bytes));
    assertThat(half.peak).as(figures).isLessThanOrEqualTo((long) (0.6 * float32Bytes));
    double worst = 0;
    int dim = full.values.length / LoadProbe.TEXTS.size();
    for (int row = 0; row < LoadProbe.TEXTS.size(); row++) {
      float[] a = Arrays.copyOfRange(full.values, row * dim, (row + 1) * dim);
      float[] b = Arrays.copyOfRange(half.values, row * dim, (row + 1) * dim);
      worst = Math.max(worst, relativeDifference(a, b));
    }
    System.out.println("LargeCheckpointLoadTest: fp16 vs fp32 text embeddings, largest relative difference " + worst);
    assertThat(worst).as("relative L2 difference of the fp16 embedding").isLessThanOrEqualTo(1e-2).isGreaterThan(0);
  }

  private static String ratio(long peak) {
    return String.format(java.util.Locale.ROOT, "%.3f", peak / (double) float32Bytes);
  }

  /** ||a - b|| / ||a||. */
  private static double relativeDifference(float[] a, float[] b) {
    double diff = 0;
    double norm = 0;
    for (int i = 0; i < a.length; i++) {
      diff += (a[i] - b[i]) * (double) (a[i] - b[i]);
      norm += a[i] * (double) a[i];
    }
    return Math.sqrt(diff / norm);
  }

  private record Probe(long peak, String seconds, float[] values) {}

  /** Runs {@link LoadProbe} in a JVM with no options (the launcher's defaults) and parses its line. */
  private static Probe probe(String frozen) throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path log = tmp.resolve("probe-" + frozen + ".log");
    Process p = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
        LoadProbe.class.getName(), checkpoint.toString(), frozen).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    boolean done = p.waitFor(10, TimeUnit.MINUTES);
    String output = Files.readString(log, StandardCharsets.UTF_8);
    if (!done) {
      p.destroyForcibly();
    }
    assertThat(done && p.exitValue() == 0).as("probe " + frozen + " exits 0; output:\n" + output).isTrue();
    String line = output.lines().filter(l -> l.startsWith("PROBE ")).findFirst().orElseThrow();
    String[] parts = line.split(" ");
    float[] values = new float[parts.length - 3];
    for (int i = 0; i < values.length; i++) {
      values[i] = Float.parseFloat(parts[i + 3]);
    }
    return new Probe(Long.parseLong(parts[1]), parts[2], values);
  }
}
