package org.cleft.api.checkpoint;

import java.nio.file.Files;
import java.nio.file.Path;

/** The reference fixtures as seen from cleft-api's tests (which cannot depend on cleft-testkit). */
public final class ApiFixtures {
  private ApiFixtures() {}

  /** The tiny HF reference checkpoint folder. */
  public static Path tiny() {
    Path p = Path.of("..", "cleft-testkit", "src", "main", "resources", "org", "cleft", "testkit", "fixtures", "tiny")
        .toAbsolutePath().normalize();
    if (!Files.isDirectory(p)) {
      throw new IllegalStateException("fixture folder not found: " + p);
    }
    return p;
  }
}
