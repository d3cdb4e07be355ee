package org.cleft.data.dicom;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cleft.data.image.PixelLimit;
import org.cleft.data.image.UInt8Image;

/**
 * Reads DICOM files into {@link UInt8Image}s (display values) or {@link DicomPixels} (rescaled values).
 * Thread-safe and reusable. See the package documentation for what is supported.
 */
public final class DicomReader {
  /** The default pixel limit, the one of every image path ({@link PixelLimit#DEFAULT}, 2^28 pixels). */
  public static final long DEFAULT_MAX_PIXELS = PixelLimit.DEFAULT;

  private final long maxPixels;
  private final int frame;

  /** A reader with the default pixel limit. */
  public DicomReader() {
    this(PixelLimit.get());
  }

  /**
   * A reader refusing images with more than {@code maxPixels} pixels per frame; the check uses Rows
   * and Columns before any pixel buffer is allocated (a decompression-bomb guard).
   *
   * @param maxPixels the largest Rows x Columns accepted, positive
   */
  public DicomReader(long maxPixels) {
    this(positive(maxPixels), 0);
  }

  private static long positive(long maxPixels) {
    if (maxPixels <= 0) {
      throw new IllegalArgumentException("maxPixels must be positive, got " + maxPixels);
    }
    return maxPixels;
  }

  private DicomReader(long maxPixels, int frame) {
    this.maxPixels = maxPixels;
    this.frame = frame;
  }

  /**
   * {@return a reader like this one that decodes frame {@code index} of multi-frame images (0 is the first, the
   * default); an image with fewer frames fails naming both counts}
   *
   * @param index the frame, from 0
   */
  public DicomReader frame(int index) {
    if (index < 0) {
      throw new IllegalArgumentException("frame must be 0 or more, got " + index);
    }
    return new DicomReader(maxPixels, index);
  }

  /**
   * Reads the first frame as an 8-bit display image (window or min-max, MONOCHROME1 inverted).
   *
   * @param file a DICOM file
   * @return the image, 1 channel for monochrome, 3 for colour
   * @throws DicomFormatException when the file is corrupt, truncated or too large
   * @throws UnsupportedTransferSyntaxException when the pixel data is in a syntax not supported
   * @throws UncheckedIOException when the file cannot be read
   */
  public UInt8Image read(Path file) {
    return readPixels(file).toUInt8();
  }

  /**
   * Reads the first frame (or the one chosen with {@link #frame(int)}) as rescaled (modality LUT) values.
   *
   * @param file a DICOM file
   * @return the values with the file's window, if any
   * @throws DicomFormatException when the file is corrupt, truncated or too large
   * @throws UnsupportedTransferSyntaxException when the pixel data is in a syntax not supported
   * @throws UncheckedIOException when the file cannot be read
   */
  public DicomPixels readPixels(Path file) {
    return new PixelDecoder(maxPixels, frame).decode(readDataset(file));
  }

  /**
   * Reads the top-level elements and the pixel data without decoding them.
   *
   * @param file a DICOM file
   * @return the dataset
   * @throws DicomFormatException when the file is corrupt or truncated
   * @throws UnsupportedTransferSyntaxException when the transfer syntax is not supported
   * @throws UncheckedIOException when the file cannot be read
   */
  public DicomDataset readDataset(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read DICOM file " + file + ": " + e.getMessage(), e);
    }
    return DicomParser.parse(bytes, file);
  }
}
