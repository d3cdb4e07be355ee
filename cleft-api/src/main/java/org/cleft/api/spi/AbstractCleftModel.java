package org.cleft.api.spi;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.cleft.api.Classification;
import org.cleft.api.CleftModel;
import org.cleft.api.Embeddings;
import org.cleft.api.ImageBatch;
import org.cleft.api.ZeroShotClassifier;
import org.cleft.api.vision.PixelImage;

/**
 * The one-call methods of {@link CleftModel}, written once for every backend: a backend's model implements the
 * towers, {@link #classifier(List, Embeddings)} and {@link #closeEngine()}, and inherits file decoding, bounded
 * batching and the classifiers the model keeps. Thread-safe.
 *
 * <p>Image files are decoded and preprocessed on a pool of at most {@link #DECODE_THREADS} daemon threads, made on
 * first use and stopped by {@link #close()}, {@link #CHUNK} images at a time, so memory stays bounded whatever the
 * number of files.
 */
public abstract class AbstractCleftModel implements CleftModel {
  /** Images decoded, preprocessed and encoded together. */
  public static final int CHUNK = 16;
  /** The most threads that decode images for one model. */
  public static final int DECODE_THREADS = 4;
  /** Distinct class lists whose zero-shot classifier a model keeps; beyond it, one is made per call. */
  static final int KEPT_CLASS_LISTS = 16;
  private static final AtomicInteger POOLS = new AtomicInteger();

  private final AtomicBoolean closed = new AtomicBoolean();
  private final Map<List<String>, ZeroShotClassifier> zeroShots = new LinkedHashMap<>();
  private final List<AutoCloseable> closeAfter = new ArrayList<>();
  private ZeroShotClassifier own;
  private ExecutorService decoders;

  /** For subclasses. */
  protected AbstractCleftModel() {}

  @Override
  public final synchronized ZeroShotClassifier classifier() {
    checkOpen();
    if (own == null) {
      own = promptTuned().orElseGet(() -> {
        List<String> classes = captionStyle().classes();
        if (classes.isEmpty()) {
          throw new IllegalStateException(checkpoint() + " has no learned prompts (cleft.json 'prompt') and records "
              + "no classes it was evaluated with (cleft.json 'captions.classes'): name the classes, as in "
              + "classify(image, List.of(\"edema\", \"pneumothorax\"))");
        }
        return zeroShot(classes);
      });
    }
    return own;
  }

  @Override
  public ImageBatch preprocess(List<Path> images) {
    if (images.isEmpty()) {
      throw new IllegalArgumentException("no image to preprocess");
    }
    return join(prepared(images));
  }

  @Override
  public Classification classify(List<Path> images) {
    return classifyWith(classifier(), images);
  }

  @Override
  public Classification classify(List<Path> images, List<String> classNames) {
    ZeroShotClassifier kept = keptZeroShot(classNames);
    if (kept != null) {
      return classifyWith(kept, images);
    }
    try (ZeroShotClassifier once = zeroShot(classNames)) {
      return classifyWith(once, images);
    }
  }

  @Override
  public Embeddings embedImages(List<Path> images) {
    if (images.isEmpty()) {
      throw new IllegalArgumentException("no image to embed");
    }
    List<Embeddings> parts = new ArrayList<>();
    for (int from = 0; from < images.size(); from += CHUNK) {
      parts.add(imageEncoder().encode(join(prepared(images.subList(from, Math.min(images.size(), from + CHUNK))))));
    }
    return Embeddings.concat(parts);
  }

  /**
   * Makes this model close {@code owner} after itself (for {@link org.cleft.api.Backends#load}: the backend that
   * loaded it).
   *
   * @param owner closed once, after the model's engine resources
   */
  public final synchronized void closeAfter(AutoCloseable owner) {
    checkOpen();
    closeAfter.add(owner);
  }

  /**
   * Closes the classifiers the model keeps and its decoding threads, then the engine resources ({@link
   * #closeEngine()}), then what {@link #closeAfter} named. Idempotent.
   */
  @Override
  public final void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    List<AutoCloseable> after;
    synchronized (this) {
      if (own != null) {
        own.close();
      }
      zeroShots.values().forEach(ZeroShotClassifier::close);
      zeroShots.clear();
      if (decoders != null) {
        decoders.shutdownNow();
      }
      after = List.copyOf(closeAfter);
    }
    closeEngine();
    RuntimeException failure = null;
    for (AutoCloseable owner : after) {
      try {
        owner.close();
      } catch (Exception e) {
        if (failure == null) {
          failure = new IllegalStateException("closing " + owner + " after the model: " + e.getMessage(), e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** Releases the engine's native resources (towers, sessions, tokenizer); called once, by {@link #close()}. */
  protected abstract void closeEngine();

  /** {@return whether {@link #close()} was called} */
  protected final boolean isClosed() {
    return closed.get();
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException("the model of " + checkpoint() + " is closed");
    }
  }

  private synchronized ZeroShotClassifier keptZeroShot(List<String> classNames) {
    checkOpen();
    List<String> key = List.copyOf(classNames);
    ZeroShotClassifier kept = zeroShots.get(key);
    if (kept == null && zeroShots.size() < KEPT_CLASS_LISTS) {
      kept = zeroShot(key);
      zeroShots.put(key, kept);
    }
    return kept;
  }

  private Classification classifyWith(ZeroShotClassifier classifier, List<Path> images) {
    if (images.isEmpty()) {
      throw new IllegalArgumentException("no image to classify");
    }
    List<float[]> logits = new ArrayList<>();
    List<float[]> probabilities = new ArrayList<>();
    for (int from = 0; from < images.size(); from += CHUNK) {
      Classification part = classifier.classify(join(prepared(images.subList(from,
          Math.min(images.size(), from + CHUNK)))));
      logits.addAll(List.of(part.logits()));
      probabilities.addAll(List.of(part.probabilities()));
    }
    return new Classification(classifier.classNames(), logits.toArray(float[][]::new),
        probabilities.toArray(float[][]::new));
  }

  /** Decodes and preprocesses each file (on the pool when there are several), in order. */
  private List<ImageBatch> prepared(List<Path> files) {
    ImagePreprocessor preprocessor = ImagePreprocessor.find();
    int size = imageSize();
    if (files.size() == 1) {
      return List.of(prepare(preprocessor, files.get(0), size));
    }
    ExecutorService pool = decoders();
    List<Future<ImageBatch>> futures = new ArrayList<>();
    for (Path file : files) {
      futures.add(pool.submit(() -> prepare(preprocessor, file, size)));
    }
    List<ImageBatch> out = new ArrayList<>();
    try {
      for (Future<ImageBatch> future : futures) {
        out.add(future.get());
      }
    } catch (InterruptedException e) {
      futures.forEach(f -> f.cancel(true));
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while decoding images", e);
    } catch (ExecutionException e) {
      futures.forEach(f -> f.cancel(true));
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    }
    return out;
  }

  private static ImageBatch prepare(ImagePreprocessor preprocessor, Path file, int size) {
    PixelImage image = preprocessor.decode(file);
    return preprocessor.evaluationBatch(List.of(image), size);
  }

  private synchronized ExecutorService decoders() {
    checkOpen();
    if (decoders == null) {
      int threads = Math.max(1, Math.min(DECODE_THREADS, Runtime.getRuntime().availableProcessors()));
      int pool = POOLS.incrementAndGet();
      AtomicInteger thread = new AtomicInteger();
      decoders = Executors.newFixedThreadPool(threads, r -> {
        Thread t = new Thread(r, "cleft-decode-" + pool + "-" + thread.incrementAndGet());
        t.setDaemon(true);
        return t;
      });
    }
    return decoders;
  }

  private static ImageBatch join(List<ImageBatch> batches) {
    if (batches.size() == 1) {
      return batches.get(0);
    }
    ImageBatch first = batches.get(0);
    int per = first.pixels().length / first.batch();
    int rows = batches.stream().mapToInt(ImageBatch::batch).sum();
    float[] pixels = new float[per * rows];
    int at = 0;
    for (ImageBatch b : batches) {
      System.arraycopy(b.pixels(), 0, pixels, at, b.pixels().length);
      at += b.pixels().length;
    }
    return new ImageBatch(pixels, rows, first.channels(), first.height(), first.width());
  }
}
