package org.cleft.examples.demo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** GPT-2's vocabulary and merges, shipped as resources for models built from scratch (the demo, the benchmarks). */
public final class DemoVocabulary {
  private DemoVocabulary() {}

  /**
   * Writes {@code vocab.json} and {@code merges.txt} into a folder, which a random checkpoint's text tower copies.
   *
   * @param dir the folder (created if missing)
   * @throws IOException when a resource is missing or writing fails
   */
  public static void copyTo(Path dir) throws IOException {
    Files.createDirectories(dir);
    for (String f : List.of("vocab.json", "merges.txt")) {
      try (InputStream in = DemoVocabulary.class.getResourceAsStream("gpt2/" + f)) {
        if (in == null) {
          throw new IOException("the GPT-2 vocabulary resource org/cleft/examples/demo/gpt2/" + f
              + " is missing from the class path");
        }
        Files.copy(in, dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }
}
