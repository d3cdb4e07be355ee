package org.cleft.spark;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.LongAccumulator;
import org.cleft.api.Classification;
import org.cleft.api.CleftModel;
import org.cleft.api.Embeddings;
import org.cleft.api.ImageBatch;

/**
 * One partition's inference on an executor: the rows' paths in chunks of {@code batchSize}, decoded together (a
 * file that fails becomes a row with its error), encoded together, probabilities from the broadcast class
 * embeddings. A file on another Hadoop file system (HDFS, S3) is copied to a local temporary file first, with the
 * driver's broadcast Hadoop configuration. Rows are produced lazily, so a partition of any size holds one chunk at a time.
 */
final class PartitionInference implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;
  /** Tests: how many failures this JVM injected. */
  static final AtomicInteger INJECTED = new AtomicInteger();
  private final ExecutorModels.ModelKey key;
  private final Broadcast<ClassSpace> classes;
  private final Broadcast<Map<String, String>> hadoop;
  private final int batchSize;
  private final LongAccumulator loads;
  private final int failFirstAttemptOf;

  PartitionInference(ExecutorModels.ModelKey key, Broadcast<ClassSpace> classes,
      Broadcast<Map<String, String>> hadoop, int batchSize, LongAccumulator loads, int failFirstAttemptOf) {
    this.key = key;
    this.classes = classes;
    this.hadoop = hadoop;
    this.batchSize = batchSize;
    this.loads = loads;
    this.failFirstAttemptOf = failFirstAttemptOf;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> input) {
    CleftModel model = ExecutorModels.get(key, () -> loads.add(1));
    ClassSpace space = classes == null ? null : classes.value();
    Supplier<Configuration> conf = hadoop == null ? null : HadoopFiles.lazyConfiguration(hadoop.value());
    return new Iterator<>() {
      private final ArrayDeque<Row> ready = new ArrayDeque<>();
      private long produced;

      @Override
      public boolean hasNext() {
        while (ready.isEmpty() && input.hasNext()) {
          List<String> chunk = new ArrayList<>(batchSize);
          while (chunk.size() < batchSize && input.hasNext()) {
            chunk.add(input.next().getString(0));
          }
          boolean injected = produced > 0 && failFirstAttemptOf >= 0 && TaskContext.get() != null
              && TaskContext.get().partitionId() == failFirstAttemptOf && TaskContext.get().attemptNumber() == 0;
          if (injected) { // tests: a task lost after it produced rows, which its retry must not duplicate
            INJECTED.incrementAndGet();
            throw new IllegalStateException("cleft-spark: failure injected into the first attempt of partition "
                + failFirstAttemptOf);
          }
          ready.addAll(run(model, space, chunk, conf));
          produced += chunk.size();
        }
        return !ready.isEmpty();
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return ready.poll();
      }
    };
  }

  /**
   * The rows of one chunk, in input order.
   *
   * @param model the executor's model
   * @param space the class embeddings, or null to embed only
   * @param paths the chunk's {@code path} values
   * @param hadoop the Hadoop configuration for files on other file systems, made on first use (once per
   *     partition); null for local files only
   * @return a row per path
   */
  static List<Row> run(CleftModel model, ClassSpace space, List<String> paths, Supplier<Configuration> hadoop) {
    int n = paths.size();
    String[] errors = new String[n];
    ImageBatch[] alone = new ImageBatch[n]; // with a bad file in the chunk: each good file's own batch
    List<Integer> good = new ArrayList<>(n);
    ImageBatch batch = null;
    try (StagedFiles staged = new StagedFiles(hadoop)) {
      Path[] files = new Path[n];
      List<Path> readable = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        try {
          files[i] = staged.local(paths.get(i));
          readable.add(files[i]);
        } catch (RuntimeException e) {
          errors[i] = message(e, staged);
        }
      }
      try {
        // the readable files at once, decoded on the model's own threads; with a bad one among them, file by file
        batch = readable.isEmpty() ? null : model.preprocess(readable);
      } catch (RuntimeException e) {
        batch = null;
      }
      for (int i = 0; i < n; i++) {
        if (files[i] == null) {
          continue;
        }
        if (batch == null) {
          try {
            alone[i] = model.preprocess(List.of(files[i]));
          } catch (RuntimeException e) {
            errors[i] = message(e, staged);
            continue;
          }
        }
        good.add(i);
      }
    }
    if (batch == null && !good.isEmpty()) {
      ImageBatch first = alone[good.get(0)];
      int per = first.channels() * first.height() * first.width();
      float[] pixels = new float[good.size() * per];
      for (int k = 0; k < good.size(); k++) {
        System.arraycopy(alone[good.get(k)].pixels(), 0, pixels, k * per, per);
      }
      batch = new ImageBatch(pixels, good.size(), first.channels(), first.height(), first.width());
    }
    Embeddings embeds = good.isEmpty() ? null : model.imageEncoder().encode(batch);
    Classification c = null;
    if (embeds != null && space != null) {
      Embeddings classEmbeds = new Embeddings(space.embeddings(), space.names().size(), space.dim());
      c = Classification.fromLogits(space.names(), embeds.similarity(classEmbeds, Math.exp(space.logitScale())));
    }
    List<Row> out = new ArrayList<>(n);
    int row = 0;
    for (int i = 0; i < n; i++) {
      if (errors[i] != null) {
        out.add(space == null ? RowFactory.create(paths.get(i), null, errors[i])
            : RowFactory.create(paths.get(i), null, null, null, errors[i]));
        continue;
      }
      float[] e = embeds.row(row);
      out.add(space == null ? RowFactory.create(paths.get(i), e, null)
          : RowFactory.create(paths.get(i), e, c.probabilities()[row], space.names().get(c.predicted()[row]), null));
      row++;
    }
    return out;
  }

  private static String message(RuntimeException e, StagedFiles staged) {
    return staged.named(e.getClass().getSimpleName() + ": " + e.getMessage());
  }
}
