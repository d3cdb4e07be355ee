package org.cleft.data.loader;

import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.cleft.api.TextTokenizer;
import org.cleft.data.transform.ImagePipeline;

/**
 * A parallel batch loader. Worker threads load and transform samples; the consumer thread collates
 * them in order into {@link Batch}es. At most {@code prefetchBatches} batches beyond the one being
 * consumed are in flight, which bounds memory. The epoch's order (a seeded shuffle) and each
 * sample's augmentation (a generator derived from seed, epoch and index) do not depend on the
 * number of threads, so a run is reproducible on any machine.
 *
 * <p>Close the loader to stop its threads; {@link #close()} is idempotent. A sample whose image cannot be read
 * or decoded is left out of its batch with a warning ({@link BadSamplePolicy#SKIP}, the default, counted in
 * {@link #skippedSamples()}) or ends the epoch with a {@link SampleLoadException} naming the sample index and
 * file ({@link BadSamplePolicy#STOP}).
 */
public final class BatchLoader implements AutoCloseable {
  private static final AtomicInteger LOADERS = new AtomicInteger();

  private final LoaderSettings settings;
  private final ExecutorService workers;
  private final String threadPrefix;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final List<Thread> threads = new CopyOnWriteArrayList<>();

  private BatchLoader(LoaderSettings settings) {
    this.settings = settings;
    this.threadPrefix = "cleft-loader-" + LOADERS.incrementAndGet() + "-";
    this.workers = Executors.newFixedThreadPool(settings.threads(), daemonThreads(threadPrefix, threads));
  }

  /**
   * Starts a builder.
   *
   * @param source the samples
   * @param pipeline the image pipeline applied to every sample
   * @return the builder
   */
  public static Builder builder(SampleSource source, ImagePipeline pipeline) {
    return new Builder(source, pipeline);
  }

  /**
   * Iterates over one epoch's batches. Earlier iterators should be exhausted or abandoned; each
   * keeps its own prefetch window.
   *
   * @param epoch the epoch number (changes the shuffle and the augmentation)
   * @return the batches in order
   */
  public Iterator<Batch> epoch(int epoch) {
    if (closed.get()) {
      throw new IllegalStateException("BatchLoader is closed");
    }
    return new EpochIterator(settings, workers, epoch, closed);
  }

  /** {@return the samples left out so far under {@link BadSamplePolicy#SKIP}} */
  public SkippedSamples skippedSamples() {
    return settings.skipped();
  }

  /** {@return number of batches in one epoch} */
  public int batchesPerEpoch() {
    return settings.batchesPerEpoch();
  }

  /** {@return the prefix of this loader's worker thread names, for diagnostics} */
  public String threadPrefix() {
    return threadPrefix;
  }

  /**
   * Stops the worker threads, interrupting work in progress, and waits up to ten seconds for them
   * to exit.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      workers.shutdownNow();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      try {
        workers.awaitTermination(10, TimeUnit.SECONDS);
        for (Thread t : threads) { // awaitTermination returns before the threads have exited
          t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static ThreadFactory daemonThreads(String prefix, List<Thread> created) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread t = new Thread(runnable, prefix + count.incrementAndGet());
      t.setDaemon(true);
      created.add(t);
      return t;
    };
  }

  /** Builder of a {@link BatchLoader}: {@code opt*} setters are optional. */
  public static final class Builder {
    private final SampleSource source;
    private final ImagePipeline pipeline;
    private TextTokenizer tokenizer;
    private int batchSize = 32;
    private int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    private int prefetchBatches = 2;
    private long seed;
    private boolean shuffle = true;
    private boolean dropLast;
    private int maxTokens = 64;
    private BadSamplePolicy badSamples = BadSamplePolicy.SKIP;

    private Builder(SampleSource source, ImagePipeline pipeline) {
      this.source = source;
      this.pipeline = pipeline;
    }

    /**
     * Tokenises captions with {@code tokenizer} (not closed by the loader); default: no tokens.
     *
     * @param tokenizer the tokenizer
     * @return this builder
     */
    public Builder optTokenizer(TextTokenizer tokenizer) {
      this.tokenizer = tokenizer;
      return this;
    }

    /**
     * Samples per batch; default 32.
     *
     * @param batchSize samples per batch, positive
     * @return this builder
     */
    public Builder optBatchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    /**
     * Worker threads; default the number of processors.
     *
     * @param threads worker threads, positive
     * @return this builder
     */
    public Builder optThreads(int threads) {
      this.threads = threads;
      return this;
    }

    /**
     * Batches prepared ahead of the consumer; default 2.
     *
     * @param prefetchBatches batches prepared ahead, at least 1
     * @return this builder
     */
    public Builder optPrefetchBatches(int prefetchBatches) {
      this.prefetchBatches = prefetchBatches;
      return this;
    }

    /**
     * The seed of shuffling and augmentation; default 0.
     *
     * @param seed the seed
     * @return this builder
     */
    public Builder optSeed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Whether each epoch visits the samples in a seeded random order; default true.
     *
     * @param shuffle true to shuffle each epoch
     * @return this builder
     */
    public Builder optShuffle(boolean shuffle) {
      this.shuffle = shuffle;
      return this;
    }

    /**
     * Whether to drop a last, smaller batch; default false.
     *
     * @param dropLast true to drop it
     * @return this builder
     */
    public Builder optDropLast(boolean dropLast) {
      this.dropLast = dropLast;
      return this;
    }

    /**
     * Tokens per caption (truncated, right padded to this length); default 64.
     *
     * @param maxTokens tokens per caption, positive
     * @return this builder
     */
    public Builder optMaxTokens(int maxTokens) {
      this.maxTokens = maxTokens;
      return this;
    }

    /**
     * What to do with a sample whose image cannot be read or decoded; default {@link BadSamplePolicy#SKIP}
     * (left out of its batch with a warning, and counted).
     *
     * @param policy skip or stop
     * @return this builder
     */
    public Builder optBadSamples(BadSamplePolicy policy) {
      this.badSamples = policy;
      return this;
    }

    /**
     * Validates the settings and starts the worker threads.
     *
     * @return the loader, which the caller closes
     */
    public BatchLoader build() {
      return new BatchLoader(new LoaderSettings(source, pipeline, tokenizer, batchSize, threads,
          prefetchBatches, seed, shuffle, dropLast, maxTokens, badSamples, new SkippedSamples()));
    }
  }
}
