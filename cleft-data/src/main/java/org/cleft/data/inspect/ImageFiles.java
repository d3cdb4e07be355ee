package org.cleft.data.inspect;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
import org.cleft.data.dicom.DicomReader;
import org.cleft.data.image.ImageDecoder;
import org.cleft.data.image.UInt8Image;

/**
 * Decodes an image file by its extension, the way training and evaluation decode it: DICOM ({@code .dcm}) with
 * {@link DicomReader}, anything else with {@link ImageDecoder} (grey, 16-bit samples by their high byte, CMYK
 * JPEGs through TwelveMonkeys, PNG CRCs checked). Both refuse an image above {@link
 * org.cleft.data.image.PixelLimit} before allocating its pixels. Thread-safe.
 */
public final class ImageFiles implements Function<Path, UInt8Image> {
  private final DicomReader dicom = new DicomReader();
  private final ImageDecoder images = new ImageDecoder();

  /** Creates the decoder with the default pixel limit. */
  public ImageFiles() {}

  /**
   * Decodes a file.
   *
   * @param file a PNG, JPEG or DICOM file
   * @return the 8-bit image as the model sees it (grey; a colour DICOM keeps 3 channels)
   * @throws RuntimeException naming the file and the reason when it is not a readable image
   */
  @Override
  public UInt8Image apply(Path file) {
    if (isDicom(file)) {
      return dicom.read(file);
    }
    return images.decodeGrey(file);
  }

  /**
   * {@return whether a file is DICOM: named {@code .dcm}, or holding {@code DICM} after the 128-byte preamble
   * (whatever its name: PACS exports often have none), or starting with a file meta or identifying group element
   * in explicit or implicit little endian}
   *
   * @param file a file
   */
  public static boolean isDicom(Path file) {
    if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".dcm")) {
      return true;
    }
    byte[] head = new byte[132];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, head.length);
    } catch (IOException e) {
      return false; // the decoder that follows names the unreadable file
    }
    if (n == 132 && head[128] == 'D' && head[129] == 'I' && head[130] == 'C' && head[131] == 'M') {
      return true;
    }
    if (n == 132 && head[128] == 0x08 && head[129] == 0
        && Arrays.equals(head, 0, 128, new byte[128], 0, 128)) {
      return true; // a zero preamble without "DICM", the dataset after it
    }
    if (n < 8) {
      return false;
    }
    int group = (head[0] & 0xFF) | (head[1] & 0xFF) << 8;
    int element = (head[2] & 0xFF) | (head[3] & 0xFF) << 8;
    // no preamble: (0002,xxxx) meta or (0008,xxxx) identifying elements come first, in ascending order
    return (group == 0x0002 || group == 0x0008) && element < 0x0100 && !(head[0] == (byte) 0x89 && head[1] == 'P');
  }
}
