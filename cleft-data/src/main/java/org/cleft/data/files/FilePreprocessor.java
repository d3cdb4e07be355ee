package org.cleft.data.files;

import java.awt.image.BufferedImage;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.cleft.api.ImageBatch;
import org.cleft.api.ImageReadException;
import org.cleft.api.spi.ImagePreprocessor;
import org.cleft.api.vision.PixelImage;
import org.cleft.data.dicom.DicomFormatException;
import org.cleft.data.dicom.UnsupportedTransferSyntaxException;
import org.cleft.data.image.ImageDecodeException;
import org.cleft.data.image.ImageDecoder;
import org.cleft.data.image.UInt8Image;
import org.cleft.data.transform.ImagePipeline;
import org.cleft.data.transform.ImageTensor;

/**
 * cleft-data's {@link ImagePreprocessor} (registered for {@link java.util.ServiceLoader}): files decoded by {@link
 * ImageFiles}, images preprocessed by {@link ImagePipeline#evaluation(int)}, exactly as {@code cleft classify},
 * {@code embed} and {@code eval} do. Thread-safe.
 */
public final class FilePreprocessor implements ImagePreprocessor {
  private final ImageFiles files;
  private final ConcurrentMap<Integer, ImagePipeline> pipelines = new ConcurrentHashMap<>();

  /** The preprocessor {@link java.util.ServiceLoader} makes: the shared decoder with the default pixel limit. */
  public FilePreprocessor() {
    this(ImageFiles.shared());
  }

  /**
   * A preprocessor decoding with {@code files}.
   *
   * @param files the decoder
   */
  public FilePreprocessor(ImageFiles files) {
    this.files = files;
  }

  @Override
  public UInt8Image decode(Path file) {
    try {
      return files.apply(file);
    } catch (ImageDecodeException | DicomFormatException | UnsupportedTransferSyntaxException e) {
      throw new ImageReadException(file, withoutFile(e.getMessage(), file), e);
    } catch (UncheckedIOException e) {
      throw new ImageReadException(file, withoutFile(e.getCause().getMessage(), file), e);
    }
  }

  @Override
  public UInt8Image fromBufferedImage(BufferedImage image) {
    return ImageDecoder.grey(image);
  }

  @Override
  public ImageBatch evaluationBatch(List<? extends PixelImage> images, int size) {
    if (images.isEmpty()) {
      throw new IllegalArgumentException("no image to preprocess");
    }
    ImagePipeline pipeline = pipelines.computeIfAbsent(size, ImagePipeline::evaluation);
    float[] pixels = null;
    int channels = 0;
    int height = 0;
    int width = 0;
    for (int i = 0; i < images.size(); i++) {
      // the evaluation pipeline draws no random numbers; the generator only satisfies the signature
      ImageTensor t = pipeline.apply(asUInt8(images.get(i)), new SplittableRandom(0));
      if (pixels == null) {
        channels = t.channels();
        height = t.height();
        width = t.width();
        pixels = new float[t.data().length * images.size()];
      } else if (t.channels() != channels) {
        throw new IllegalArgumentException("image " + i + " has " + t.channels() + " channels after preprocessing, "
            + "image 0 has " + channels + "; preprocess them in separate batches");
      }
      System.arraycopy(t.data(), 0, pixels, i * t.data().length, t.data().length);
    }
    return new ImageBatch(pixels, images.size(), channels, height, width);
  }

  private static UInt8Image asUInt8(PixelImage image) {
    return image instanceof UInt8Image u ? u
        : new UInt8Image(image.width(), image.height(), image.channels(), image.data());
  }

  /** The decoders' messages start or end with the file; ImageReadException puts it in front, once. */
  private static String withoutFile(String message, Path file) {
    String m = String.valueOf(message);
    String prefix = file + ": ";
    String suffix = ": " + file;
    if (m.startsWith(prefix)) {
      m = m.substring(prefix.length());
    }
    if (m.endsWith(suffix)) {
      m = m.substring(0, m.length() - suffix.length());
    }
    return m;
  }
}
