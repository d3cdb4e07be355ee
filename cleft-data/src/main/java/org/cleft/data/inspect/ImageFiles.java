package org.cleft.data.inspect;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Function;
import javax.imageio.ImageIO;
import org.cleft.data.dicom.DicomReader;
import org.cleft.data.image.UInt8Image;

/**
 * Decodes an image file by its extension: DICOM ({@code .dcm}) with {@link DicomReader}, anything else
 * with {@code javax.imageio}. Interim: to be replaced by {@code org.cleft.data.image.ImageDecoder} once
 * that is merged.
 */
public final class ImageFiles implements Function<Path, UInt8Image> {
  private final DicomReader dicom = new DicomReader();

  /**
   * Decodes a file.
   *
   * @param file a PNG, JPEG or DICOM file
   * @return the 8-bit image (grey stays 1 channel, colour becomes 3)
   * @throws IllegalArgumentException when the file is not a readable image
   * @throws UncheckedIOException when it cannot be read
   */
  @Override
  public UInt8Image apply(Path file) {
    if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".dcm")) {
      return dicom.read(file);
    }
    BufferedImage img;
    try {
      img = ImageIO.read(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read image " + file + ": " + e.getMessage(), e);
    }
    if (img == null) {
      throw new IllegalArgumentException(file + ": not a readable PNG/JPEG image");
    }
    boolean grey = img.getRaster().getNumBands() == 1;
    int w = img.getWidth();
    int h = img.getHeight();
    byte[] data = new byte[w * h * (grey ? 1 : 3)];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        if (grey) {
          data[y * w + x] = (byte) img.getRaster().getSample(x, y, 0);
        } else {
          int rgb = img.getRGB(x, y);
          int i = (y * w + x) * 3;
          data[i] = (byte) (rgb >> 16);
          data[i + 1] = (byte) (rgb >> 8);
          data[i + 2] = (byte) rgb;
        }
      }
    }
    return new UInt8Image(w, h, grey ? 1 : 3, data);
  }
}
