package org.cleft.spark;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicInteger;
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
 * One partition's inference on an executor: the rows' paths in chunks of {@code batchSize}, each file decoded on its
 * own (a file that fails becomes a row with its error), the decoded ones encoded together, probabilities from the
 * broadcast class embeddings. Rows are produced lazily, so a partition of any size holds one chunk at a time.
 */
final class PartitionInference implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;
  /** Tests: how many failures this JVM injected. */
  static final AtomicInteger INJECTED = new AtomicInteger();
  private final ExecutorModels.ModelKey key;
  private final Broadcast<ClassSpace> classes;
  private final int batchSize;
  private final LongAccumulator loads;
  private final int failFirstAttemptOf;

  PartitionInference(ExecutorModels.ModelKey key, Broadcast<ClassSpace> classes, int batchSize,
      LongAccumulator loads, int failFirstAttemptOf) {
    this.key = key;
    this.classes = classes;
    this.batchSize = batchSize;
    this.loads = loads;
    this.failFirstAttemptOf = failFirstAttemptOf;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> input) {
    CleftModel model = ExecutorModels.get(key, () -> loads.add(1));
    ClassSpace space = classes == null ? null : classes.value();
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
          ready.addAll(run(model, space, chunk));
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

  /** The rows of one chunk, in input order. */
  static List<Row> run(CleftModel model, ClassSpace space, List<String> paths) {
    ImageBatch[] decoded = new ImageBatch[paths.size()];
    String[] errors = new String[paths.size()];
    int good = 0;
    ImageBatch all = null;
    try {
      // the whole chunk at once, decoded on the model's own threads; with a bad file in it, file by file
      List<Path> files = new ArrayList<>(paths.size());
      for (String p : paths) {
        files.add(SparkPaths.local(p));
      }
      all = model.preprocess(files);
    } catch (RuntimeException e) {
      all = null;
    }
    for (int i = 0; i < paths.size(); i++) {
      if (all != null) {
        decoded[i] = all; // a marker: decoded, its pixels are row i of the chunk's batch
        good++;
        continue;
      }
      try {
        decoded[i] = model.preprocess(List.of(SparkPaths.local(paths.get(i))));
        good++;
      } catch (RuntimeException e) {
        errors[i] = e.getClass().getSimpleName() + ": " + e.getMessage();
      }
    }
    Embeddings embeds = null;
    float[][] probabilities = null;
    int[] predicted = null;
    if (all != null) {
      embeds = model.imageEncoder().encode(all);
    } else if (good > 0) {
      ImageBatch first = null;
      for (ImageBatch b : decoded) {
        first = first == null ? b : first;
      }
      int per = first.channels() * first.height() * first.width();
      float[] pixels = new float[good * per];
      int at = 0;
      for (ImageBatch b : decoded) {
        if (b != null) {
          System.arraycopy(b.pixels(), 0, pixels, at * per, per);
          at++;
        }
      }
      embeds = model.imageEncoder().encode(new ImageBatch(pixels, good, first.channels(), first.height(),
          first.width()));
    }
    if (good > 0) {
      if (space != null) {
        Embeddings classEmbeds = new Embeddings(space.embeddings(), space.names().size(), space.dim());
        Classification c = Classification.fromLogits(space.names(),
            embeds.similarity(classEmbeds, Math.exp(space.logitScale())));
        probabilities = c.probabilities();
        predicted = c.predicted();
      }
    }
    List<Row> out = new ArrayList<>(paths.size());
    int row = 0;
    for (int i = 0; i < paths.size(); i++) {
      if (decoded[i] == null) {
        out.add(space == null ? RowFactory.create(paths.get(i), null, errors[i])
            : RowFactory.create(paths.get(i), null, null, null, errors[i]));
        continue;
      }
      float[] e = embeds.row(row);
      if (space == null) {
        out.add(RowFactory.create(paths.get(i), e, null));
      } else {
        out.add(RowFactory.create(paths.get(i), e, probabilities[row], space.names().get(predicted[row]), null));
      }
      row++;
    }
    return out;
  }
}
