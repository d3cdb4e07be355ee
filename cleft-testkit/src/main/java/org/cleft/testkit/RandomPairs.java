package org.cleft.testkit;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.cleft.api.BatchSource;
import org.cleft.api.ImageBatch;
import org.cleft.api.TokenBatch;
import org.cleft.api.TrainingBatch;

/**
 * Random image-text batches with multi-hot labels, a pure function of (seed, epoch, batch), as the
 * {@link BatchSource} contract asks. One batch can be poisoned with NaN pixels.
 */
public final class RandomPairs implements BatchSource {
  private final int batches;
  private final int batchSize;
  private final int imageSize;
  private final int classes;
  private final long seed;
  private final long poisonAt;

  /**
   * Describes the batches.
   *
   * @param batches batches per epoch
   * @param batchSize images per batch
   * @param imageSize the images' height and width (3 channels)
   * @param classes label columns (one positive per row)
   * @param seed the seed
   * @param poisonAt the micro-batch (counted across epochs) whose pixels are NaN, or -1 for none
   */
  public RandomPairs(int batches, int batchSize, int imageSize, int classes, long seed, long poisonAt) {
    this.batches = batches;
    this.batchSize = batchSize;
    this.imageSize = imageSize;
    this.classes = classes;
    this.seed = seed;
    this.poisonAt = poisonAt;
  }

  @Override
  public Iterator<TrainingBatch> epoch(int epoch) {
    List<TrainingBatch> out = new ArrayList<>();
    for (int b = 0; b < batches; b++) {
      out.add(batch(epoch, b));
    }
    return out.iterator();
  }

  @Override
  public int batchesPerEpoch() {
    return batches;
  }

  private TrainingBatch batch(int epoch, int b) {
    Random r = new Random(seed * 7919 + epoch * 104_729L + b);
    float[] px = new float[batchSize * 3 * imageSize * imageSize];
    boolean poison = (long) epoch * batches + b == poisonAt;
    for (int i = 0; i < px.length; i++) {
      px[i] = poison ? Float.NaN : (float) (2 * r.nextDouble() - 1);
    }
    int len = 12;
    long[] ids = new long[batchSize * len];
    long[] mask = new long[batchSize * len];
    float[][] labels = new float[batchSize][classes];
    for (int i = 0; i < batchSize; i++) {
      int real = 3 + r.nextInt(len - 3);
      for (int j = 0; j < len; j++) {
        ids[i * len + j] = j < real ? r.nextInt(5000) : 50256;
        mask[i * len + j] = j < real ? 1 : 0;
      }
      labels[i][r.nextInt(classes)] = 1;
    }
    return new TrainingBatch(new ImageBatch(px, batchSize, 3, imageSize, imageSize),
        new TokenBatch(ids, mask, batchSize, len), labels);
  }
}
