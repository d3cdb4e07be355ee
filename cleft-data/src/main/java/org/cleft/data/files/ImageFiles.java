package org.cleft.data.files;

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
 * The one way cleft decodes an image file, its format told by its bytes, not its name: DICOM (the {@code DICM}
 * marker after a preamble, or a dataset with no preamble or file meta; a {@code .dcm} name counts too) with {@link
 * DicomReader}, anything else (PNG, JPEG, TIFF, what Java's image readers know) with {@link ImageDecoder} (grey,
 * 16-bit samples by their high byte, CMYK JPEGs through TwelveMonkeys, PNG CRCs checked). Both refuse an image above
 * {@link org.cleft.data.image.PixelLimit} before allocating its pixels. {@code classify}, {@code embed}, {@code
 * eval}, {@code data inspect}, the batch loaders ({@link org.cleft.data.loader.ImageSource#file(Path)}) and the
 * one-call API ({@code CleftModel.classify(Path)}) all decode through it. Thread-safe.
 */
public final class ImageFiles implements Function<Path, UInt8Image> {
  private static final ImageFiles DEFAULT = new ImageFiles();
  private final DicomReader dicom = new DicomReader();
  private final ImageDecoder images = new ImageDecoder();

  /** Creates the decoder with the default pixel limit. */
  public ImageFiles() {}

  /** {@return the shared decoder with the default pixel limit} */
  public static ImageFiles shared() {
    return DEFAULT;
  }

  /**
   * Decodes a file.
   *
   * @param file a PNG, JPEG, TIFF or DICOM file
   * @return the 8-bit image as the model sees it (grey; a colour DICOM keeps 3 channels)
   * @throws org.cleft.data.image.ImageDecodeException naming the file and the reason when it is not a readable
   *     PNG, JPEG or TIFF image
   * @throws org.cleft.data.dicom.DicomFormatException naming the file when it is DICOM but malformed or has no
   *     pixel data
   * @throws org.cleft.data.dicom.UnsupportedTransferSyntaxException naming the file and the syntax when its
   *     compression cannot be decoded
   * @throws java.io.UncheckedIOException when the file cannot be read
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
