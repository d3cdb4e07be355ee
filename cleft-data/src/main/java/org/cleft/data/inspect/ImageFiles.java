package org.cleft.data.inspect;

import java.nio.file.Path;
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
    if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".dcm")) {
      return dicom.read(file);
    }
    return images.decodeGrey(file);
  }
}
