package org.cleft.spark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;
import org.cleft.api.Backends;
import org.cleft.api.CleftModel;
import org.cleft.api.Device;
import org.cleft.api.Embeddings;
import org.cleft.api.ZeroShotClassifier;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.spi.BackendOptions;

/**
 * cleft's inference over a Spark {@code Dataset} of image paths. Each executor JVM loads the model once (lazily,
 * shared by its tasks, closed at shutdown); the class embeddings are computed once on the driver and broadcast;
 * images are decoded and batched inside partitions; a file that cannot be decoded becomes a row with {@code error}
 * set, and the job goes on.
 *
 * <pre>{@code
 * SparkInference cleft = SparkInference.builder(Path.of("/models/cleft-chexpert")).backend("onnx").build();
 * Dataset<Row> images = SparkInference.listImages(spark, "/archive/cxr", "*.{dcm,png}");
 * Dataset<Row> results = cleft.classify(images); // path, embedding, probabilities, predicted, error
 * }</pre>
 *
 * <p>The checkpoint must be readable at the same path on every executor (a shared or replicated file system). The
 * images may be local there too, or on any file system the driver's Hadoop configuration knows (HDFS; S3 through
 * {@code s3a:} with its connector on the class path): an executor copies each such file to a local temporary file
 * for the decoders and deletes it once the file's batch is decoded. The backend's jars must be on the executors'
 * class path.
 */
public final class SparkInference {
  /** The output schema of {@link #classify(Dataset)}. */
  public static final StructType CLASSIFY_SCHEMA = new StructType()
      .add("path", DataTypes.StringType, false)
      .add("embedding", DataTypes.createArrayType(DataTypes.FloatType, false), true)
      .add("probabilities", DataTypes.createArrayType(DataTypes.FloatType, false), true)
      .add("predicted", DataTypes.StringType, true)
      .add("error", DataTypes.StringType, true);
  /** The output schema of {@link #embed(Dataset)}. */
  public static final StructType EMBED_SCHEMA = new StructType()
      .add("path", DataTypes.StringType, false)
      .add("embedding", DataTypes.createArrayType(DataTypes.FloatType, false), true)
      .add("error", DataTypes.StringType, true);

  private final SparkSession spark;
  private final ExecutorModels.ModelKey key;
  private final List<String> classNames;
  private final int batchSize;
  private final int failFirstAttemptOf;
  private LongAccumulator loads;
  private Broadcast<Map<String, String>> hadoop;
  private Broadcast<ClassSpace> classes;
  private ClassSpace space;

  private SparkInference(Builder b) {
    this.spark = b.spark != null ? b.spark : SparkSession.active();
    Map<String, String> extra = new LinkedHashMap<>(b.extra);
    if (b.intraOpThreads > 0) {
      if (!b.backend.equals("onnx")) {
        throw new IllegalArgumentException("intra-op threads are an ONNX Runtime setting; backend '" + b.backend
            + "' takes its threads from its own options");
      }
      extra.put("onnx.intra_op_threads", Integer.toString(b.intraOpThreads));
    }
    this.key = new ExecutorModels.ModelKey(b.checkpoint.toAbsolutePath().toString(), b.backend, b.device.toString(),
        extra);
    this.classNames = b.classNames;
    this.batchSize = b.batchSize;
    this.failFirstAttemptOf = b.failFirstAttemptOf;
  }

  /**
   * A builder for a checkpoint.
   *
   * @param checkpoint a cleft checkpoint folder, at this path on the driver and every executor
   * @return the builder
   */
  public static Builder builder(Path checkpoint) {
    return new Builder(checkpoint);
  }

  /**
   * The image files under a folder (recursively), as Spark's {@code binaryFile} source lists them, without reading
   * their contents: one row per file, column {@code path} (a {@code file:} path as that source's own {@code path}
   * column gives it), in as many partitions as the cluster runs tasks at once.
   *
   * <p>The files are listed on the driver, as every Spark file source lists them, and the list becomes the
   * Dataset. (Scanning the source instead would split a folder of small files into a task per 32 of them, as if
   * each were read: 313 tasks for 10,000 files, which took longer than encoding them.)
   *
   * @param spark the session
   * @param folder the root folder, or a glob
   * @param glob a file-name filter such as {@code *.png} or {@code *.{dcm,png,jpg}}, or null for every file
   * @return a Dataset with one string column, {@code path}
   */
  public static Dataset<Row> listImages(SparkSession spark, String folder, String glob) {
    var reader = spark.read().format("binaryFile").option("recursiveFileLookup", "true");
    if (glob != null) {
      reader = reader.option("pathGlobFilter", glob);
    }
    String[] uris = reader.load(folder).inputFiles(); // URIs: file:///a%20b.png where the column has file:/a b.png
    List<String> paths = new ArrayList<>(uris.length);
    for (String uri : uris) {
      paths.add(SparkPaths.column(uri));
    }
    return spark.createDataset(paths, Encoders.STRING()).toDF("path");
  }

  /**
   * Classifies every image: the checkpoint's own classes (its learned prompts, else the classes its captions
   * recorded) or the builder's {@link Builder#classes(List)} zero-shot.
   *
   * @param paths a Dataset with a string column {@code path}
   * @return {@link #CLASSIFY_SCHEMA}: {@code probabilities} aligned with {@link #classNames()}, {@code embedding}
   *     the L2-normalised image embedding, {@code error} null unless the file could not be decoded (then the other
   *     columns are null)
   * @throws IllegalArgumentException when {@code paths} has no string column {@code path}
   * @throws IllegalStateException when the checkpoint cannot be loaded on the driver
   */
  public Dataset<Row> classify(Dataset<Row> paths) {
    return run(paths, classesBroadcast(), CLASSIFY_SCHEMA);
  }

  /** The class embeddings broadcast once, for every classify job of this inference (each chunk is one). */
  private synchronized Broadcast<ClassSpace> classesBroadcast() {
    if (classes == null) {
      classes = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(classSpace());
    }
    return classes;
  }

  /**
   * Embeds every image.
   *
   * @param paths a Dataset with a string column {@code path}
   * @return {@link #EMBED_SCHEMA}
   * @throws IllegalArgumentException when {@code paths} has no string column {@code path}
   */
  public Dataset<Row> embed(Dataset<Row> paths) {
    return run(paths, null, EMBED_SCHEMA);
  }

  /**
   * The class names {@link #classify(Dataset)} scores, in the order of its probabilities (loads the model on the
   * driver the first time).
   *
   * @return the names
   * @throws IllegalStateException when the checkpoint cannot be loaded on the driver
   */
  public List<String> classNames() {
    return classSpace().names();
  }

  /**
   * How many models the executors have loaded for this inference's actions so far (a Spark accumulator: one per
   * executor JVM, whatever its number of tasks).
   *
   * @return the count, after an action has run
   */
  public long executorLoads() {
    return loads == null ? 0 : loads.value();
  }

  /** {@return the images encoded together per forward pass} */
  int batchSize() {
    return batchSize;
  }

  private synchronized Dataset<Row> run(Dataset<Row> paths, Broadcast<ClassSpace> classes, StructType schema) {
    if (!Arrays.asList(paths.columns()).contains("path")
        || !paths.schema().apply("path").dataType().equals(DataTypes.StringType)) {
      throw new IllegalArgumentException("cleft-spark needs a string column 'path'; the Dataset has "
          + paths.schema().simpleString());
    }
    if (loads == null) {
      loads = spark.sparkContext().longAccumulator("cleft model loads");
    }
    if (hadoop == null) { // the executors read other file systems' images with the driver's configuration
      hadoop = JavaSparkContext.fromSparkContext(spark.sparkContext())
          .broadcast(HadoopFiles.entries(spark.sparkContext().hadoopConfiguration()));
    }
    return paths.select("path").mapPartitions(new PartitionInference(key, classes, hadoop, batchSize, loads,
        failFirstAttemptOf),
        Encoders.row(schema));
  }

  /** The class embeddings, computed on the driver with a model of its own, closed afterwards. */
  private synchronized ClassSpace classSpace() {
    if (space != null) {
      return space;
    }
    // the class embeddings are small: computed on the CPU, whatever device the executors use
    BackendOptions options = key.options().withDevice(Device.cpu());
    try (CleftModel model = Backends.load(Path.of(key.checkpoint()), key.backend(), options)) {
      Embeddings e;
      List<String> names;
      if (classNames == null) {
        ZeroShotClassifier own = model.classifier(); // owned by the model
        e = own.classEmbeddings();
        names = own.classNames();
      } else {
        try (ZeroShotClassifier zs = model.zeroShot(classNames)) {
          e = zs.classEmbeddings();
          names = zs.classNames();
        }
      }
      space = new ClassSpace(names, e.data().clone(), e.dim(), model.logitScale());
      return space;
    } catch (CheckpointException e) {
      throw new IllegalStateException("cannot load the checkpoint " + key.checkpoint() + " on the driver: "
          + e.getMessage(), e);
    }
  }

  /** Options of a {@link SparkInference}. */
  public static final class Builder {
    private final Path checkpoint;
    private SparkSession spark;
    private String backend = "onnx";
    private Device device = Device.cpu();
    private List<String> classNames;
    private int batchSize = 16;
    private int intraOpThreads;
    private int failFirstAttemptOf = -1;
    private final Map<String, String> extra = new LinkedHashMap<>();

    private Builder(Path checkpoint) {
      this.checkpoint = checkpoint;
    }

    /**
     * The session (default: the active one).
     *
     * @param session the session
     * @return this builder
     */
    public Builder session(SparkSession session) {
      this.spark = session;
      return this;
    }

    /**
     * The inference backend on the executors (default {@code onnx}).
     *
     * @param name a backend name: {@code onnx}, {@code djl}, {@code tf}
     * @return this builder
     */
    public Builder backend(String name) {
      this.backend = name;
      return this;
    }

    /**
     * Where the executors run the model (default the CPU). {@link Device#auto()} takes CUDA device 0 where the
     * backend can use it (ONNX Runtime with {@code onnxruntime_gpu}, the CUDA libraries on the executors) and the
     * CPU, with a warning in the executor's log, elsewhere. The class embeddings are computed on the driver's CPU.
     *
     * @param where the device
     * @return this builder
     */
    public Builder device(Device where) {
      this.device = Objects.requireNonNull(where, "device");
      return this;
    }

    /**
     * Zero-shot classes instead of the checkpoint's own.
     *
     * @param names class names, put into the checkpoint's caption template
     * @return this builder
     */
    public Builder classes(List<String> names) {
      if (names.isEmpty()) {
        throw new IllegalArgumentException("classes must not be empty");
      }
      this.classNames = List.copyOf(names);
      return this;
    }

    /**
     * Images encoded together in one forward pass (default 16).
     *
     * @param images at least 1
     * @return this builder
     */
    public Builder batchSize(int images) {
      if (images < 1) {
        throw new IllegalArgumentException("batch size must be at least 1, got " + images);
      }
      this.batchSize = images;
      return this;
    }

    /**
     * Threads one ONNX Runtime operator may use on an executor (default: ONNX Runtime's own choice). With
     * {@code spark.executor.cores} tasks per executor, cores divided by that is the usual value.
     *
     * @param threads at least 1
     * @return this builder
     */
    public Builder intraOpThreads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("intra-op threads must be at least 1, got " + threads);
      }
      this.intraOpThreads = threads;
      return this;
    }

    /**
     * A backend option ({@link BackendOptions#extra()}).
     *
     * @param name the option, e.g. {@code onnx.log_level}
     * @param value its value
     * @return this builder
     */
    public Builder option(String name, String value) {
      extra.put(name, value);
      return this;
    }

    /** Tests: the first attempt of this partition's task fails after its first batch. */
    Builder failFirstAttemptOf(int partition) {
      this.failFirstAttemptOf = partition;
      return this;
    }

    /** {@return the inference} */
    public SparkInference build() {
      return new SparkInference(this);
    }
  }
}
