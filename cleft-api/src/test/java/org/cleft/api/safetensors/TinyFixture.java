package org.cleft.api.safetensors;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The tiny reference fixture of cleft-testkit, located on disk: cleft-testkit depends on cleft-api,
 * so these tests cannot depend on it and find its resources by path instead (Surefire runs in the
 * module directory; IDEs may run in the project root). {@code -Dcleft.fixtures.tiny=DIR} overrides the location.
 */
final class TinyFixture {
  private TinyFixture() {}

  static Path dir() {
    String override = System.getProperty("cleft.fixtures.tiny");
    Path inProject = Path.of("cleft-testkit", "src", "main", "resources", "org", "cleft", "testkit", "fixtures", "tiny");
    Path dir = override != null ? Path.of(override) : Path.of("..").resolve(inProject);
    if (override == null && !Files.isDirectory(dir)) {
      dir = inProject; // run from the project root (some IDEs)
    }
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException("tiny fixture not found at " + dir.toAbsolutePath());
    }
    return dir;
  }
}
