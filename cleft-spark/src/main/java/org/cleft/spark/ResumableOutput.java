package org.cleft.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.hash;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;

import java.io.IOException;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Writes inference results to a folder that a rerun resumes: the paths already there are skipped (an anti-join on
 * {@code path}), and the rest is processed in chunks, each appended as its own Spark job, so that a job killed
 * midway keeps every chunk it finished and the rerun does only what is missing, without duplicating a row.
 * Deleting some of the output's files and rerunning restores their rows.
 */
public final class ResumableOutput {
  /** The output formats. */
  public enum Format {
    /** Apache Parquet (the default). */
    PARQUET,
    /** JSON lines. */
    JSON
  }

  /** What to compute. */
  public enum Task {
    /** {@link SparkInference#classify(Dataset)}. */
    CLASSIFY,
    /** {@link SparkInference#embed(Dataset)}. */
    EMBED
  }

  /** Told of each chunk once it is appended. */
  @FunctionalInterface
  public interface Progress {
    /**
     * A chunk is written.
     *
     * @param chunk its number, from 1
     * @param chunks how many this run writes
     * @param rows its rows
     * @param written the rows this run has appended so far, this chunk's included
     * @param remaining the rows this run had to do when it started
     */
    void chunkWritten(long chunk, long chunks, long rows, long written, long remaining);
  }

  private ResumableOutput() {}

  /**
   * Runs the inference on the paths not yet in {@code out} and appends their rows.
   *
   * @param spark the session
   * @param inference the model and its settings
   * @param task classify or embed
   * @param paths a Dataset with a string column {@code path} (duplicates are processed once)
   * @param out the output folder (created when missing), on any file system Spark writes to
   * @param format the output format; a folder already holding results must have been written in it
   * @param rowsPerChunk about how many images each appended job processes
   * @return how many rows this run appended
   * @throws IOException when the output folder cannot be listed
   */
  public static long run(SparkSession spark, SparkInference inference, Task task, Dataset<Row> paths, String out,
      Format format, long rowsPerChunk) throws IOException {
    return run(spark, inference, task, paths, out, format, rowsPerChunk, (chunk, chunks, rows, written, all) -> { });
  }

  /**
   * {@link #run(SparkSession, SparkInference, Task, Dataset, String, Format, long)}, telling {@code progress} of
   * each chunk written.
   *
   * @param spark the session
   * @param inference the model and its settings
   * @param task classify or embed
   * @param paths a Dataset with a string column {@code path} (duplicates are processed once)
   * @param out the output folder (created when missing), on any file system Spark writes to
   * @param format the output format; a folder already holding results must have been written in it
   * @param rowsPerChunk about how many images each appended job processes
   * @param progress told of each chunk once it is appended
   * @return how many rows this run appended
   * @throws IOException when the output folder cannot be listed
   */
  public static long run(SparkSession spark, SparkInference inference, Task task, Dataset<Row> paths, String out,
      Format format, long rowsPerChunk, Progress progress) throws IOException {
    if (rowsPerChunk < 1) {
      throw new IllegalArgumentException("rows per chunk must be at least 1, got " + rowsPerChunk);
    }
    StructType schema = task == Task.CLASSIFY ? SparkInference.CLASSIFY_SCHEMA : SparkInference.EMBED_SCHEMA;
    String fmt = format.name().toLowerCase(Locale.ROOT);
    // one shuffle, into as many partitions as the cluster runs tasks at once, both removes duplicates and places
    // the paths for the anti-join (spark.sql.shuffle.partitions, 200 by default, would be 200 tasks per job here)
    int tasks = Math.max(1, spark.sparkContext().defaultParallelism());
    Dataset<Row> wanted = paths.select("path").repartition(tasks, col("path")).distinct();
    Dataset<Row> todo = wanted;
    if (hasResults(spark, out)) {
      spark.catalog().refreshByPath(out); // files deleted or added since this session last listed the folder
      // placed as the wanted paths are, so that the anti-join adds no shuffle (a path done twice is no matter)
      Dataset<Row> done = spark.read().schema(schema).format(fmt).load(out).select(col("path").as("done_path"))
          .repartition(tasks, col("done_path"));
      todo = wanted.join(done, wanted.col("path").equalTo(done.col("done_path")), "left_anti");
    }
    // The paths still to do are computed once, before anything is appended to the folder they were read from, and
    // kept as an RDD: appending to the folder re-caches every cached Dataset that reads it, which would compute the
    // anti-join again (reading the whole output) for every chunk. A lost partition of the RDD is recomputed from
    // the output files listed now, so it holds the same paths.
    JavaRDD<Row> pending = todo.javaRDD().persist(StorageLevel.MEMORY_AND_DISK());
    todo = spark.createDataFrame(pending, todo.schema());
    try {
      long remaining = todo.count();
      if (remaining == 0) {
        return 0;
      }
      long chunks = Math.max(1, (remaining + rowsPerChunk - 1) / rowsPerChunk);
      Dataset<Row> keyed = todo.withColumn("cleft_chunk", pmod(hash(col("path")), lit(chunks)));
      long written = 0;
      for (long k = 0; k < chunks; k++) {
        Dataset<Row> part = keyed.filter(col("cleft_chunk").equalTo(k)).select("path");
        long n = chunks == 1 ? remaining : part.count();
        // as many tasks (and files) as the cluster runs at once, none with less than a batch
        part = part.coalesce((int) Math.max(1, Math.min(tasks, (n + inference.batchSize() - 1)
            / inference.batchSize())));
        Dataset<Row> rows = task == Task.CLASSIFY ? inference.classify(part) : inference.embed(part);
        rows.write().mode(SaveMode.Append).format(fmt).save(out);
        written += n;
        progress.chunkWritten(k + 1, chunks, n, written, remaining);
      }
      return written;
    } finally {
      pending.unpersist();
    }
  }

  /** Whether the folder holds result files (not only Spark's own {@code _}-prefixed ones). */
  private static boolean hasResults(SparkSession spark, String out) throws IOException {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Path dir = new Path(out);
    FileSystem fs = dir.getFileSystem(conf);
    if (!fs.exists(dir)) {
      return false;
    }
    for (FileStatus s : fs.listStatus(dir)) {
      String name = s.getPath().getName();
      if (s.isFile() && !name.startsWith("_") && !name.startsWith(".")) {
        return true;
      }
    }
    return false;
  }
}
