package org.cleft.data.loader;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.cleft.api.ImageBatch;
import org.cleft.api.TokenBatch;
import org.cleft.data.transform.ImageTensor;

/**
 * One epoch of a {@link BatchLoader}: submits sample tasks in epoch order, at most a bounded window
 * ahead, and collates their results in that order; package-private.
 */
final class EpochIterator implements Iterator<Batch> {
  private final LoaderSettings settings;
  private final ExecutorService workers;
  private final int epoch;
  private final AtomicBoolean loaderClosed;
  private final int[] order;
  private final int total;
  private final ArrayDeque<Future<ImageTensor>> inFlight = new ArrayDeque<>();
  private int submitted;
  private int consumed;
  private Batch pending;

  EpochIterator(LoaderSettings settings, ExecutorService workers, int epoch, AtomicBoolean loaderClosed) {
    this.settings = settings;
    this.workers = workers;
    this.epoch = epoch;
    this.loaderClosed = loaderClosed;
    this.order = SampleSeeds.order(settings.source().size(), settings.seed(), epoch, settings.shuffle());
    this.total = settings.batchesPerEpoch() == 0 ? 0
        : Math.min(order.length, settings.batchesPerEpoch() * settings.batchSize());
  }

  @Override
  public boolean hasNext() {
    // under SKIP a batch can lose every sample; the epoch then goes on with the next one
    while (pending == null && consumed < total) {
      pending = nextBatch();
    }
    return pending != null;
  }

  @Override
  public Batch next() {
    if (!hasNext()) {
      throw new NoSuchElementException("epoch " + epoch + " has " + settings.batchesPerEpoch() + " batches");
    }
    Batch b = pending;
    pending = null;
    return b;
  }

  /** The next batch of the epoch, or null when every one of its samples was skipped. */
  private Batch nextBatch() {
    if (loaderClosed.get()) {
      throw new IllegalStateException("BatchLoader is closed");
    }
    fillWindow();
    int size = Math.min(settings.batchSize(), total - consumed);
    List<ImageTensor> images = new ArrayList<>(size);
    List<Integer> kept = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      int index = order[consumed + i];
      ImageTensor t = await(inFlight.removeFirst(), index);
      if (t != null) {
        images.add(t);
        kept.add(index);
      }
    }
    consumed += size;
    fillWindow();
    return images.isEmpty() ? null : collate(images, kept.stream().mapToInt(Integer::intValue).toArray());
  }

  private void fillWindow() {
    int limit = Math.min(total, consumed + (settings.prefetchBatches() + 1) * settings.batchSize());
    while (submitted < limit) {
      int index = order[submitted++];
      try {
        inFlight.addLast(workers.submit(() -> load(index)));
      } catch (RejectedExecutionException e) {
        throw new IllegalStateException("BatchLoader is closed", e);
      }
    }
  }

  private ImageTensor load(int index) {
    Sample sample = null;
    try {
      sample = settings.source().get(index);
      return settings.pipeline().apply(sample.image().load(), SampleSeeds.random(settings.seed(), epoch, index));
    } catch (RuntimeException | Error e) {
      throw new SampleLoadException(index, sample == null ? "from " + settings.source() : sample.image().toString(), e);
    }
  }

  private ImageTensor await(Future<ImageTensor> future, int index) {
    try {
      return future.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (settings.badSamples() == BadSamplePolicy.SKIP && cause instanceof SampleLoadException s
          && isDataError(s.getCause())) {
        settings.skipped().add(s.index(), s.file(), s.getCause() == null ? s : s.getCause());
        return null;
      }
      cancelAll();
      if (cause instanceof SampleLoadException s) {
        throw new SampleLoadException(s.index(), s.file() + ", epoch " + epoch, s.getCause());
      }
      throw new SampleLoadException(index, "epoch " + epoch, cause);
    } catch (InterruptedException e) {
      cancelAll();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for sample " + index, e);
    } catch (CancellationException e) {
      throw new IllegalStateException("sample " + index + " was cancelled (BatchLoader closed?)", e);
    }
  }

  /**
   * Whether a sample failed because of its data (a file that is missing, unreadable or not a decodable image),
   * the only failures {@link BadSamplePolicy#SKIP} skips: errors of the JVM and bugs in a pipeline stop the epoch
   * under either policy, so that a run does not silently differ from its rerun.
   */
  private static boolean isDataError(Throwable cause) {
    return cause instanceof IllegalArgumentException // ImageDecodeException, DicomFormatException
        || cause instanceof java.io.UncheckedIOException
        || cause instanceof UnsupportedOperationException; // UnsupportedTransferSyntaxException
  }

  private void cancelAll() {
    for (Future<ImageTensor> f : inFlight) {
      f.cancel(true);
    }
    inFlight.clear();
    consumed = total; // the epoch is over
  }

  private Batch collate(List<ImageTensor> images, int[] indices) {
    ImageTensor first = images.get(0);
    int per = first.data().length;
    float[] pixels = new float[per * images.size()];
    for (int i = 0; i < images.size(); i++) {
      ImageTensor t = images.get(i);
      if (t.channels() != first.channels() || t.height() != first.height() || t.width() != first.width()) {
        throw new SampleLoadException(indices[i], "collation", new IllegalArgumentException(
            "pipeline gave " + t + " but the batch holds " + first));
      }
      System.arraycopy(t.data(), 0, pixels, i * per, per);
    }
    ImageBatch batch = new ImageBatch(pixels, images.size(), first.channels(), first.height(), first.width());
    List<Sample> samples = new ArrayList<>(indices.length);
    for (int index : indices) {
      samples.add(settings.source().get(index));
    }
    int numLabels = samples.get(0).labels().length;
    float[] labels = new float[numLabels * samples.size()];
    List<String> texts = new ArrayList<>(samples.size());
    for (int i = 0; i < samples.size(); i++) {
      float[] l = samples.get(i).labels();
      if (l.length != numLabels) {
        throw new SampleLoadException(indices[i], "collation", new IllegalArgumentException(
            "has " + l.length + " labels, sample " + indices[0] + " has " + numLabels));
      }
      System.arraycopy(l, 0, labels, i * numLabels, numLabels);
      texts.add(samples.get(i).text());
    }
    Optional<TokenBatch> tokens = settings.tokenizer() == null ? Optional.empty()
        : Optional.of(settings.tokenizer().encode(texts, settings.maxTokens(), true));
    return new Batch(batch, tokens, labels, numLabels, indices);
  }
}
