package org.cleft.djl.scale;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import org.cleft.api.Backends;
import org.cleft.api.Capability;
import org.cleft.api.CleftModel;
import org.cleft.api.Embeddings;
import org.cleft.api.Precision;
import org.cleft.api.spi.Backend;
import org.cleft.api.spi.BackendOptions;

/**
 * A process of its own that loads a checkpoint on djl the way an application does (no JVM options), embeds two texts
 * and prints one line: {@code PROBE <peak RSS bytes> <seconds to load> <embedding values...>}. Run by
 * {@link LargeCheckpointLoadTest}, which reads the peak from here because only the process itself can (VmHWM).
 */
public final class LoadProbe {
  static final List<String> TEXTS = List.of("no acute cardiopulmonary process", "small left pleural effusion");

  private LoadProbe() {}

  /**
   * Loads, embeds, prints.
   *
   * @param args the checkpoint folder and the frozen-weight precision (FP32 or FP16)
   * @throws Exception on any failure (the parent test shows the output)
   */
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    Precision frozen = Precision.valueOf(args[1]);
    long start = System.nanoTime();
    try (Backend b = Backends.open(Capability.INFERENCE, "djl", BackendOptions.defaults().withFrozenWeights(frozen));
        CleftModel model = b.load(dir)) {
      double loadSeconds = (System.nanoTime() - start) / 1e9;
      Embeddings e = model.textEncoder().encodeTexts(TEXTS);
      StringJoiner line = new StringJoiner(" ");
      line.add("PROBE").add(Long.toString(peakRss())).add(String.format(Locale.ROOT, "%.1f", loadSeconds));
      for (float v : e.data()) {
        line.add(Float.toString(v));
      }
      System.out.println(line);
    }
  }

  static long peakRss() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    throw new IOException("/proc/self/status has no VmHWM");
  }
}
