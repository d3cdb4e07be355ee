package org.cleft.data.dataset;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Writes tiny image files for loader tests. */
final class TestImages {
  private TestImages() {
  }

  static Path write(Path file, String format) throws IOException {
    Files.createDirectories(file.getParent());
    ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY), format, file.toFile());
    return file;
  }
}
