package org.cleft.data.image;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes PNG and JPEG files (8- and 16-bit grey, RGB, palette, with or without alpha) to 8-bit grey
 * the way OpenCV's {@code cv2.imread(path, IMREAD_GRAYSCALE)} does: 16-bit samples keep their high
 * byte, colour PNGs are converted as libpng does for OpenCV (0.299/0.587/0.114, 15-bit weights,
 * truncated), alpha is dropped, and colour JPEGs give their decoded luma (libjpeg's grey output).
 *
 * <p>A decompression-bomb guard rejects images whose header announces more than
 * {@link #maxPixels()} pixels before any pixel is decoded. Instances are immutable and thread-safe.
 */
public final class ImageDecoder {
  /** The default pixel limit, {@link PixelLimit#DEFAULT}: 2^28 pixels (16384 x 16384). */
  public static final long DEFAULT_MAX_PIXELS = PixelLimit.DEFAULT;

  private final long maxPixels;

  /** A decoder with the limit of every image path, {@link PixelLimit#get()}. */
  public ImageDecoder() {
    this(PixelLimit.get());
  }

  /**
   * A decoder that refuses images with more than {@code maxPixels} pixels.
   *
   * @param maxPixels the largest width x height accepted, positive
   */
  public ImageDecoder(long maxPixels) {
    if (maxPixels <= 0) {
      throw new IllegalArgumentException("maxPixels must be positive, got " + maxPixels);
    }
    this.maxPixels = maxPixels;
  }

  /** {@return the largest width x height this decoder accepts} */
  public long maxPixels() {
    return maxPixels;
  }

  /**
   * Decodes a PNG or JPEG file to grey.
   *
   * @param file the image file
   * @return a one-channel image
   * @throws UncheckedIOException when the file cannot be read
   * @throws ImageDecodeException when the format is unknown or corrupt, or the image too large
   */
  public UInt8Image decodeGrey(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new UncheckedIOException(new IOException("image file not found: " + file));
    }
    try (InputStream in = Files.newInputStream(file)) {
      return decodeGrey(in, file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read image " + file, e);
    }
  }

  /**
   * Decodes an encoded PNG or JPEG held in memory to grey.
   *
   * @param encoded the file's bytes
   * @param name a name for messages (for example the archive entry), may be null
   * @return a one-channel image
   * @throws ImageDecodeException when the format is unknown or corrupt, or the image too large
   */
  public UInt8Image decodeGrey(byte[] encoded, String name) {
    try {
      return decodeGrey(new ByteArrayInputStream(encoded), name == null ? null : Path.of(name));
    } catch (IOException e) {
      throw new ImageDecodeException(name == null ? null : Path.of(name), "cannot decode: " + e.getMessage(), e);
    }
  }

  private UInt8Image decodeGrey(InputStream in, Path file) throws IOException {
    byte[] bytes = in.readAllBytes();
    PngChunks.verify(bytes, file); // the JDK's PNG reader does not check chunk CRCs
    try (ImageInputStream stream = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      if (stream == null) {
        throw new ImageDecodeException(file, "no image input stream available", null);
      }
      Iterator<ImageReader> readers = ImageIO.getImageReaders(stream);
      if (!readers.hasNext()) {
        throw new ImageDecodeException(file, "not a PNG or JPEG image (no reader recognises it)", null);
      }
      ImageReader reader = preferJdk(readers);
      try {
        reader.setInput(stream, false, true);
        checkSize(file, reader.getWidth(0), reader.getHeight(0));
        // a truncated JPEG is only a warning to the JDK's reader (it fills grey); here it is an error
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        UInt8Image grey = "jpeg".equalsIgnoreCase(reader.getFormatName()) ? JpegGrey.read(reader, stream, file)
            : toGrey(reader.read(0), file);
        List<String> damage = ReadWarnings.damage(warnings);
        if (!damage.isEmpty()) {
          throw new ImageDecodeException(file, "damaged " + reader.getFormatName() + " data: "
              + String.join("; ", damage), null);
        }
        return grey;
      } catch (IOException | RuntimeException e) {
        if (e instanceof ImageDecodeException) {
          throw e;
        }
        throw new ImageDecodeException(file, "corrupt or unsupported " + reader.getFormatName() + " image: "
            + e.getMessage(), e);
      } finally {
        reader.dispose();
      }
    }
  }

  /**
   * The JDK's own reader when it is among those that recognise the stream (its PNG and YCbCr JPEG decoding is
   * what the preprocessing parity is checked against), else the first; the others are disposed.
   */
  private static ImageReader preferJdk(Iterator<ImageReader> readers) {
    List<ImageReader> all = new ArrayList<>();
    readers.forEachRemaining(all::add);
    ImageReader chosen = all.stream().filter(r -> r.getClass().getName().startsWith("com.sun.imageio.")).findFirst()
        .orElse(all.get(0));
    all.stream().filter(r -> r != chosen).forEach(ImageReader::dispose);
    return chosen;
  }

  private void checkSize(Path file, int width, int height) {
    long pixels = (long) width * height;
    if (width <= 0 || height <= 0 || pixels > maxPixels) {
      throw new ImageDecodeException(file, "image of " + width + "x" + height + " = " + pixels
          + " pixels exceeds the limit of " + maxPixels + " pixels", null);
    }
  }

  /**
   * {@return an image made grey as decoded files are (palette and RGB by libpng's weights, 16-bit samples by their
   * high byte, other colour spaces through sRGB)}
   *
   * @param image an image in any of Java's pixel layouts
   */
  public static UInt8Image grey(BufferedImage image) {
    return toGrey(image, null);
  }

  /** Grey from a decoded image, by its colour model. */
  static UInt8Image toGrey(BufferedImage image, Path file) {
    int w = image.getWidth();
    int h = image.getHeight();
    Raster raster = image.getRaster();
    ColorModel model = image.getColorModel();
    byte[] out = new byte[w * h];
    if (model instanceof IndexColorModel palette) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int i = raster.getSample(x, y, 0);
          out[y * w + x] = (byte) GreyLevels.pngRgbToGrey(palette.getRed(i), palette.getGreen(i),
              palette.getBlue(i));
        }
      }
      return new UInt8Image(w, h, 1, out);
    }
    int colours = model.getNumColorComponents();
    int bits = raster.getSampleModel().getSampleSize(0);
    if (colours == 1) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          out[y * w + x] = (byte) GreyLevels.to8(raster.getSample(x, y, 0), bits);
        }
      }
    } else if (colours == 3 && model.getColorSpace().isCS_sRGB()) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          // libpng converts at the file's depth, then strips 16-bit samples to 8
          int grey = GreyLevels.pngRgbToGrey(raster.getSample(x, y, 0), raster.getSample(x, y, 1),
              raster.getSample(x, y, 2));
          out[y * w + x] = (byte) GreyLevels.to8(grey, bits);
        }
      }
    } else {
      fromArgb(image, out);
    }
    return new UInt8Image(w, h, 1, out);
  }

  private static void fromArgb(BufferedImage image, byte[] out) {
    int w = image.getWidth();
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < w; x++) {
        int argb = image.getRGB(x, y);
        out[y * w + x] = (byte) GreyLevels.pngRgbToGrey((argb >> 16) & 0xFF, (argb >> 8) & 0xFF, argb & 0xFF);
      }
    }
  }
}
