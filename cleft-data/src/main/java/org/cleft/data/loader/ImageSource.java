package org.cleft.data.loader;

import java.nio.file.Path;
import org.cleft.data.files.ImageFiles;
import org.cleft.data.image.ImageDecoder;
import org.cleft.data.image.UInt8Image;

/** Where a sample's image comes from: loaded lazily, on a loader worker thread. */
@FunctionalInterface
public interface ImageSource {

  /**
   * Loads (decodes) the image.
   *
   * @return the image
   */
  UInt8Image load();

  /**
   * An image file decoded by {@link ImageFiles#shared()}: DICOM, PNG, JPEG or TIFF, told apart by its bytes.
   *
   * @param file the image file
   * @return the source, whose {@code toString} is the file name
   */
  static ImageSource file(Path file) {
    return new ImageSource() {
      @Override
      public UInt8Image load() {
        return ImageFiles.shared().apply(file);
      }

      @Override
      public String toString() {
        return file.toString();
      }
    };
  }

  /**
   * An image file decoded to grey by {@code decoder} (not DICOM: {@link #file(Path)} takes every format).
   *
   * @param file a PNG or JPEG file
   * @param decoder the decoder (shared; it is thread-safe)
   * @return the source, whose {@code toString} is the file name
   */
  static ImageSource file(Path file, ImageDecoder decoder) {
    return new ImageSource() {
      @Override
      public UInt8Image load() {
        return decoder.decodeGrey(file);
      }

      @Override
      public String toString() {
        return file.toString();
      }
    };
  }
}
