package org.cleft.onnx.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.cleft.api.safetensors.SafetensorsFile;
import org.cleft.testkit.Fixtures;

/** Fixture copies and comparisons with the HuggingFace reference tensors. */
final class Expected {
  /** The forward tolerance of the reference fixtures. */
  static final double TOLERANCE = 1e-4;

  private Expected() {}

  /** The fixture directory of {@code tiny} or a variant. */
  static Path fixture(String name) {
    return name.equals("tiny") ? Fixtures.tiny() : Fixtures.variant(name);
  }

  /** A writable copy of a fixture without its {@code onnx/} folder (the Python export), as the round trip starts. */
  static Path copyWithoutOnnx(String name, Path to) throws Exception {
    Path dir = Fixtures.copy(fixture(name), to);
    Path onnx = dir.resolve("onnx");
    if (Files.isDirectory(onnx)) {
      try (var files = Files.list(onnx)) {
        for (Path f : files.toList()) {
          Files.delete(f);
        }
      }
      Files.delete(onnx);
    }
    return dir;
  }

  /**
   * Asserts that {@code actual} matches tensor {@code name} of {@code file} within {@link #TOLERANCE}.
   *
   * @return the largest absolute difference
   */
  static double assertClose(float[][] actual, Path file, String name) throws Exception {
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      long[] shape = f.info(name).shape();
      float[] want = f.floats(name);
      assertThat(new long[] {actual.length, actual[0].length}).as(name + " shape").isEqualTo(shape);
      double max = 0;
      for (int i = 0; i < actual.length; i++) {
        for (int j = 0; j < actual[i].length; j++) {
          max = Math.max(max, Math.abs(actual[i][j] - want[i * actual[i].length + j]));
        }
      }
      System.out.printf("%-40s max|diff| %.3e%n", file.getParent().getFileName() + " " + name, max);
      assertThat(max).as(name + " max|diff| vs " + file + " (got " + Arrays.toString(actual[0]) + ")")
          .isLessThanOrEqualTo(TOLERANCE);
      return max;
    }
  }
}
