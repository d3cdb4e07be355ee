package org.cleft.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.cleft.api.Backends;
import org.cleft.api.CaptionStyle;
import org.cleft.api.Capability;
import org.cleft.api.Classification;
import org.cleft.api.CleftModel;
import org.cleft.api.EmbeddingClassifier;
import org.cleft.api.Embeddings;
import org.cleft.api.ImageBatch;
import org.cleft.api.ImageReadException;
import org.cleft.api.TokenBatch;
import org.cleft.api.ZeroShotClassifier;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.checkpoint.CleftCheckpoint;
import org.cleft.api.checkpoint.CleftManifest;
import org.cleft.api.safetensors.SafetensorsWriter;
import org.cleft.api.safetensors.Tensor;
import org.cleft.api.spi.AbstractCleftModel;
import org.cleft.api.spi.Backend;
import org.cleft.api.spi.BackendOptions;
import org.cleft.api.spi.ImagePreprocessor;
import org.cleft.api.vision.PixelImage;
import org.cleft.testkit.Fixtures;
import org.cleft.testkit.Reference;
import org.cleft.testkit.TinyReference;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The inference contract every backend meets, written once and run on each (as DJL's integration suite is):
 * encoders and zero-shot classification match the HuggingFace reference on every fixture, the model's input
 * size is the same rule everywhere and other sizes are refused alike, bad input and non-finite weights are named
 * errors, class names are normalised the way the model was trained, one model serves many threads with the
 * answers one thread gets, and native memory stays flat. A backend subclasses it in a few lines:
 *
 * <pre>{@code
 * class DjlInferenceContractTest extends InferenceContract {
 *   protected String backendName() { return "djl"; }
 *   protected long nativeObjects(CleftModel model) { return ((DjlCleftModel) model).liveArrays(); }
 * }
 * }</pre>
 *
 * A capability a backend lacks is skipped with its reason ({@code assumeTrue}), never passed silently.
 */
public abstract class InferenceContract {
  /** Forward tolerance against the reference (absolute), as {@code cleft verify}'s. */
  public static final double TOLERANCE = 1e-4;
  private static final String TEMPLATE = CaptionStyle.DEFAULT_TEMPLATE;
  /** A 16-bit JPEG Lossless (process 14) DICOM file, one of cleft-data's interop fixtures written by dcmtk. */
  private static final String DICOM_IMAGE = "/org/cleft/testkit/images/mono16_jpeg_lossless.dcm";

  /** Creates the suite (JUnit instantiates the subclass). */
  protected InferenceContract() {}

  /** {@return the backend's provider name, as {@link Backends#open(Capability, String, BackendOptions)} takes it} */
  protected abstract String backendName();

  /** {@return the options the backend is opened with; default {@link BackendOptions#defaults()}} */
  protected BackendOptions options() {
    return BackendOptions.defaults();
  }

  /**
   * {@return the native objects a loaded model holds right now (arrays, tensors, values; the same number between
   * calls when nothing leaks), or -1 when the backend cannot count them (the memory test is then skipped)}
   *
   * @param model a model of this backend
   */
  protected long nativeObjects(CleftModel model) {
    return -1;
  }

  /**
   * {@return whether the backend reads the towers' HuggingFace weights (an engine that loads exported graphs does
   * not; the tests of missing and misshapen tower tensors are then skipped with that reason)}
   */
  protected boolean readsTowerWeights() {
    return true;
  }

  /** {@return the largest resident-memory growth, in KiB, the memory test tolerates; default 100 MB} */
  protected long residentGrowthLimitKb() {
    return 100_000;
  }

  /** {@return every reference fixture (tiny and the variants)} */
  protected static List<Reference> references() {
    return Reference.all();
  }

  private Backend open() {
    return Backends.open(Capability.INFERENCE, backendName(), options());
  }

  /**
   * Image and text embeddings, class embeddings and zero-shot probabilities match the reference tensors.
   *
   * @param ref the fixture
   * @throws Exception when the fixture cannot be read or loaded
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("references")
  public void encodersAndZeroShotMatchTheReference(Reference ref) throws Exception {
    try (Backend backend = open(); CleftModel model = backend.load(ref.directory())) {
      Embeddings images = model.imageEncoder().encode(ref.pixels());
      assertThat(maxAbsDiff(images.data(), ref.expected("image_embeds"))).as(ref + " image_embeds").isLessThan(TOLERANCE);
      Embeddings texts = model.textEncoder().encode(ref.tokens());
      assertThat(maxAbsDiff(texts.data(), ref.expected("text_embeds"))).as(ref + " text_embeds").isLessThan(TOLERANCE);
      // the class captions as the generator tokenised them (cut at its max_words), through the shared classifier
      TokenBatch captions = ref.tokens("zero_shot_");
      Embeddings classes = model.textEncoder().encode(captions);
      assertThat(maxAbsDiff(classes.data(), ref.expected("zero_shot.text_embeds"))).as(ref + " zero_shot.text_embeds")
          .isLessThan(TOLERANCE);
      List<String> names = ref.strings("class_names");
      try (ZeroShotClassifier zs = new EmbeddingClassifier(backendName(), names, classes, model.logitScale(),
          model.imageEncoder())) {
        assertThat(maxAbsDiff(flat(zs.classify(ref.pixels()).probabilities()), ref.expected("zero_shot.probs")))
            .as(ref + " zero_shot.probs").isLessThan(TOLERANCE);
      }
      // and from the class names, through the model's tokenizer and caption style, where the captions fit in the
      // generator's max_words; on a fixture whose small vocabulary cuts them, check that they are indeed cut
      boolean fit = ref.strings("zero_shot_texts").stream()
          .allMatch(t -> model.textEncoder().tokenizer().ids(t).length <= captions.length());
      if (fit) {
        assertThat(model.textEncoder().tokenizer().encode(ref.strings("zero_shot_texts"), captions.length(), true))
            .as(ref + " caption tokens").isEqualTo(captions);
        try (ZeroShotClassifier zs = model.zeroShot(names, TEMPLATE)) {
          assertThat(maxAbsDiff(flat(zs.classify(ref.pixels()).probabilities()), ref.expected("zero_shot.probs")))
              .as(ref + " zero_shot.probs from class names").isLessThan(TOLERANCE);
        }
      } else {
        assertThat(java.util.stream.IntStream.range(0, captions.batch())
            .anyMatch(i -> captions.realLength(i) == captions.length())).as(ref + ": captions cut at max_words").isTrue();
      }
    }
  }

  /**
   * The report texts through the model's tokenizer are the reference's token ids, and encode to its embeddings.
   *
   * @throws Exception when the fixture cannot be read or loaded
   */
  @Test
  public void textsAreTokenisedAndEncodedAsTheReference() throws Exception {
    try (Backend backend = open(); CleftModel model = backend.load(Fixtures.tiny())) {
      TokenBatch expected = TinyReference.tokens();
      TokenBatch tokens = model.textEncoder().tokenizer().encode(TinyReference.strings("texts"), expected.length(), true);
      assertThat(tokens).isEqualTo(expected);
      assertThat(maxAbsDiff(model.textEncoder().encode(tokens).data(), TinyReference.expected("text_embeds")))
          .isLessThan(TOLERANCE);
    }
  }

  /**
   * The model takes the checkpoint's input size and refuses another with the engine-neutral message.
   *
   * @throws Exception when the fixture cannot be loaded
   */
  @Test
  public void inputSizeIsTheCheckpointsAndOtherSizesAreRefusedAlike() throws Exception {
    try (Backend backend = open(); CleftModel model = backend.load(Fixtures.tiny())) {
      int size = CleftCheckpoint.open(Fixtures.tiny()).imageSize();
      assertThat(model.imageEncoder().inputSize()).isEqualTo(size).isEqualTo(70);
      ImageBatch other = new ImageBatch(new float[3 * 56 * 56], 1, 3, 56, 56);
      assertThatThrownBy(() -> model.imageEncoder().encode(other)).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("image size 56x56 differs from the 70x70 this model takes; preprocess the images to that size "
              + "(ImagePipeline.evaluation(70), as cleft's commands do)");
    }
  }

  /**
   * Images with the wrong number of channels are refused, naming the count.
   *
   * @throws Exception when the fixture cannot be loaded
   */
  @Test
  public void wrongChannelCountIsRefused() throws Exception {
    try (Backend backend = open(); CleftModel model = backend.load(Fixtures.tiny())) {
      ImageBatch grey = new ImageBatch(new float[70 * 70], 1, 1, 70, 70);
      assertThatThrownBy(() -> model.imageEncoder().encode(grey)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("1 channels");
    }
  }

  /**
   * Token ids outside the vocabulary and batches longer than the text tower's limit are refused, naming both.
   *
   * @throws Exception when the fixture cannot be loaded
   */
  @Test
  public void tokensOutsideTheVocabularyOrBeyondTheLimitAreRefused() throws Exception {
    try (Backend backend = open(); CleftModel model = backend.load(Fixtures.tiny())) {
      TokenBatch outside = new TokenBatch(new long[] {1, 60000}, new long[] {1, 1}, 1, 2);
      assertThatThrownBy(() -> model.textEncoder().encode(outside)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("60000").hasMessageContaining("vocabulary");
      int tooLong = model.textEncoder().maxLength() + 1;
      TokenBatch longBatch = new TokenBatch(new long[tooLong], new long[tooLong], 1, tooLong);
      assertThatThrownBy(() -> model.textEncoder().encode(longBatch)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("limit of " + model.textEncoder().maxLength());
    }
  }

  /**
   * A text longer than the tower's limit is truncated to it (with a warning), and an empty text is refused by its
   * position.
   *
   * @throws Exception when the fixture cannot be loaded
   */
  @Test
  public void longTextsAreTruncatedAndEmptyOnesRefused() throws Exception {
    try (Backend backend = open(); CleftModel model = backend.load(Fixtures.tiny())) {
      assertThat(model.textEncoder().maxLength()).isEqualTo(64);
      assertThat(model.textEncoder().encodeTexts(List.of("chest ".repeat(200), "edema")).rows()).isEqualTo(2);
      assertThatThrownBy(() -> model.textEncoder().encodeTexts(List.of("edema", "")))
          .hasMessageContaining("text 1");
    }
  }

  /**
   * A tower tensor that is missing, or has the wrong shape, is a load error naming the tensor (and both shapes).
   *
   * @param tmp a temporary folder
   * @throws Exception when the copies cannot be written
   */
  @Test
  public void missingOrMisshapenTowerTensorsAreNamed(@TempDir Path tmp) throws Exception {
    assumeTrue(readsTowerWeights(), backendName() + " loads exported graphs, not the towers' safetensors");
    Path missing = Fixtures.copy(Fixtures.tiny(), tmp.resolve("missing"));
    Fixtures.rewriteTensor(missing.resolve("vision/model.safetensors"), "encoder.layer.1.mlp.fc1.weight", null);
    Path misshapen = Fixtures.copy(Fixtures.tiny(), tmp.resolve("misshapen"));
    Fixtures.rewriteTensor(misshapen.resolve("text/model.safetensors"), "h.1.attn.c_attn.weight", new long[] {96, 32});
    try (Backend backend = open()) {
      assertThatThrownBy(() -> backend.load(missing)).isInstanceOf(CheckpointException.class)
          .hasMessageContaining("'encoder.layer.1.mlp.fc1.weight' is missing");
      assertThatThrownBy(() -> backend.load(misshapen)).isInstanceOf(CheckpointException.class)
          .hasMessageContaining("'h.1.attn.c_attn.weight' has shape [96, 32], expected [32, 96]");
    }
  }

  /**
   * A checkpoint whose {@code logit_scale} is NaN is refused at load, naming the file and the tensor.
   *
   * @param tmp a temporary folder
   * @throws Exception when the copy cannot be written
   */
  @Test
  public void nonFiniteHeadsAreANamedLoadError(@TempDir Path tmp) throws Exception {
    Path dir = Fixtures.tinyWithNanLogitScale(tmp.resolve("nan"));
    try (Backend backend = open()) {
      assertThatThrownBy(() -> backend.load(dir)).isInstanceOf(CheckpointException.class)
          .hasMessageContaining("heads.safetensors").hasMessageContaining("'logit_scale'").hasMessageContaining("NaN");
    }
  }

  /**
   * Class names spelt otherwise than the training captions (capitals, extra spaces) give the probabilities of the
   * captions' spelling, on a checkpoint that records lower-case captions; verbatim names differ.
   *
   * @param tmp a temporary folder
   * @throws Exception when the copy cannot be written or loaded
   */
  @Test
  public void classNamesAreNormalisedAsTheModelWasTrained(@TempDir Path tmp) throws Exception {
    List<String> lower = TinyReference.strings("class_names");
    List<String> spelt = lower.stream().map(n -> Character.toUpperCase(n.charAt(0)) + n.substring(1) + " ").toList();
    Path dir = Fixtures.copy(Fixtures.tiny(), tmp.resolve("recorded"));
    new CleftManifest(null, 0, null, new CleftManifest.Vision(null, null, 70), null, null, null,
        CaptionStyle.defaults().withClasses(lower)).write(dir.resolve(CleftCheckpoint.MANIFEST));
    ImageBatch pixels = TinyReference.pixels();
    try (Backend backend = open(); CleftModel model = backend.load(dir)) {
      float[][] expected = probabilities(model.zeroShot(lower), pixels);
      assertThat(probabilities(model.zeroShot(spelt), pixels)).isDeepEqualTo(expected);
      assertThat(probabilities(model.zeroShot(spelt, TEMPLATE), pixels)).isDeepEqualTo(expected);
      float[][] raw = probabilities(model.zeroShot(CaptionStyle.rawCaptions(spelt, TEMPLATE)), pixels);
      assertThat(maxAbsDiff(flat(raw), flat(expected))).as("verbatim names are other captions").isGreaterThan(1e-4);
    }
  }

  /**
   * The one-call methods ({@code classify(paths, classes)}, {@code embedImages(paths)}) give, for PNG files and a
   * JPEG Lossless DICOM file in one list longer than a chunk, each file's answer from the model's classifier and
   * encoder on that file alone preprocessed by the class path's {@link ImagePreprocessor}; the single-image, {@link
   * BufferedImage} and {@link PixelImage} variants agree; native objects do not grow with calls.
   *
   * @param tmp a temporary folder for the image files
   * @throws Exception when the fixture cannot be loaded or an image cannot be written
   */
  @Test
  public void oneCallMethodsGiveEachFilesOwnAnswer(@TempDir Path tmp) throws Exception {
    List<Path> files = oneCallImages(tmp, AbstractCleftModel.CHUNK + 3);
    List<String> classes = List.of("Cardiomegaly", "pleural  effusion", "edema");
    ImagePreprocessor preprocessor = ImagePreprocessor.find();
    try (CleftModel model = Backends.load(Fixtures.tiny(), backendName(), options());
        ZeroShotClassifier alone = model.zeroShot(classes)) {
      Classification all = model.classify(files, classes);
      Embeddings embeddings = model.embedImages(files);
      assertThat(all.classNames()).isEqualTo(classes);
      assertThat(all.probabilities()).hasNumberOfRows(files.size());
      assertThat(embeddings.rows()).isEqualTo(files.size());
      for (int i = 0; i < files.size(); i++) {
        ImageBatch one = preprocessor.evaluationBatch(List.of(preprocessor.decode(files.get(i))), model.imageSize());
        float[] expected = alone.classify(one).probabilities()[0];
        assertThat(maxAbsDiff(all.probabilities()[i], expected)).as("probabilities of %s", files.get(i))
            .isLessThan(1e-5);
        assertThat(maxAbsDiff(embeddings.row(i), model.imageEncoder().encode(one).row(0)))
            .as("embedding of %s", files.get(i)).isLessThan(1e-5);
      }
      Path png = files.get(0);
      assertThat(maxAbsDiff(model.classify(png, classes).probabilities()[0], all.probabilities()[0]))
          .isLessThan(1e-6);
      BufferedImage read = ImageIO.read(png.toFile());
      assertThat(model.preprocess(read)).isEqualTo(model.preprocess(List.of(png)));
      assertThat(model.preprocess(preprocessor.decode(png))).isEqualTo(model.preprocess(List.of(png)));
      assertThat(maxAbsDiff(model.embedImage(read).row(0), embeddings.row(0))).isLessThan(1e-5);

      long before = nativeObjects(model);
      for (int i = 0; i < 3; i++) {
        model.classify(files.subList(0, 3), classes);
        model.embedImages(files.subList(0, 3));
      }
      assertThat(nativeObjects(model)).as("native objects after more one-call calls").isEqualTo(before);
    }
  }

  /**
   * Without class names, {@code classify(path)} scores the classes of the checkpoint's learned prompts ({@code
   * classNames()}) with their embeddings; a checkpoint with neither prompts nor recorded classes is refused by
   * name, and a file that is not an image is named.
   *
   * @param tmp a temporary folder
   * @throws Exception when the fixture cannot be copied or loaded
   */
  @Test
  public void oneCallClassifyUsesTheLearnedPromptsAndNamesWhatIsMissing(@TempDir Path tmp) throws Exception {
    Path png = oneCallImages(tmp, 1).get(0);
    Path notAnImage = Files.writeString(tmp.resolve("report.png"), "not an image");
    List<String> classes = List.of("effusion", "no finding");
    Path dir = Fixtures.copy(Fixtures.tiny(), tmp.resolve("prompted"));
    try (CleftModel plain = Backends.load(Fixtures.tiny(), backendName(), options())) {
      assertThat(plain.classNames()).isEmpty();
      assertThatThrownBy(() -> plain.classify(png)).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining(Fixtures.tiny().toString()).hasMessageContaining("no learned prompts");
      assertThatThrownBy(() -> plain.classify(List.of(png, notAnImage), classes))
          .isInstanceOf(ImageReadException.class).hasMessageStartingWith(notAnImage + ": ");
      Embeddings learned = plain.textEncoder().encodeTexts(List.of("a pleural effusion", "clear lungs"));
      SafetensorsWriter.write(dir.resolve("prompt.safetensors"), Map.of(
          "ctx", Tensor.ofFloats(new long[] {2, 4}, new float[8]),
          "class_embeds", Tensor.ofFloats(new long[] {learned.rows(), learned.dim()}, learned.data())), Map.of());
      CleftManifest manifest = CleftCheckpoint.open(dir).manifest();
      manifest.withPrompt(new CleftManifest.Prompt("prompt.safetensors", 2, null, classes))
          .write(dir.resolve(CleftCheckpoint.MANIFEST));
      try (CleftModel prompted = Backends.load(dir, backendName(), options());
          ZeroShotClassifier expected = prompted.classifier(classes, learned)) {
        assertThat(prompted.classNames()).isEqualTo(classes);
        Classification got = prompted.classify(png);
        assertThat(got.classNames()).isEqualTo(classes);
        assertThat(maxAbsDiff(got.probabilities()[0], expected.classify(prompted.preprocess(List.of(png)))
            .probabilities()[0])).isLessThan(1e-6);
        assertThat(prompted.classifier()).isSameAs(prompted.classifier());
      }
    }
  }

  /** PNG files of different grey patterns, then (from the second) the JPEG Lossless DICOM fixture. */
  private static List<Path> oneCallImages(Path dir, int count) throws IOException {
    List<Path> out = new ArrayList<>();
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < count; i++) {
      if (i == 1) {
        Path dicom = dir.resolve("image-" + i + ".dcm");
        try (InputStream in = InferenceContract.class.getResourceAsStream(DICOM_IMAGE)) {
          Files.copy(in, dicom);
        }
        out.add(dicom);
        continue;
      }
      BufferedImage image = new BufferedImage(96 + 8 * i, 80, BufferedImage.TYPE_BYTE_GRAY);
      for (int y = 0; y < image.getHeight(); y++) {
        for (int x = 0; x < image.getWidth(); x++) {
          image.getRaster().setSample(x, y, 0, (x * (i + 1) + y * 3 + random.nextInt(40)) & 0xFF);
        }
      }
      Path png = dir.resolve("image-" + i + ".png");
      ImageIO.write(image, "png", png.toFile());
      out.add(png);
    }
    return out;
  }

  /**
   * Eight threads sharing one model and one classifier get exactly the answers one thread gets, and leave no
   * native object behind.
   *
   * @throws Exception when the fixture cannot be loaded or a thread fails
   */
  @Test
  public void eightThreadsGetTheAnswersOfOne() throws Exception {
    try (Backend backend = open(); CleftModel model = backend.load(Fixtures.tiny())) {
      long before = nativeObjects(model);
      ImageBatch batch = TinyReference.pixels();
      List<String> texts = TinyReference.strings("texts");
      try (ZeroShotClassifier classifier = model.zeroShot(TinyReference.strings("class_names"), TEMPLATE)) {
        Classification whole = classifier.classify(batch);
        List<Classification> single = new ArrayList<>();
        for (int i = 0; i < batch.batch(); i++) {
          single.add(classifier.classify(batch.slice(i, i + 1)));
        }
        Embeddings captions = model.textEncoder().encodeTexts(texts);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        try {
          for (int t = 0; t < 8; t++) {
            int thread = t;
            results.add(pool.submit(() -> {
              start.await();
              for (int r = 0; r < 20; r++) {
                int i = (thread + r) % batch.batch();
                assertSame(single.get(i), classifier.classify(batch.slice(i, i + 1)));
                assertSame(whole, classifier.classify(batch));
                assertThat(model.textEncoder().encodeTexts(texts)).isEqualTo(captions);
              }
              return 20;
            }));
          }
          start.countDown();
          for (Future<Integer> f : results) {
            assertThat(f.get(120, TimeUnit.SECONDS)).isEqualTo(20);
          }
        } finally {
          pool.shutdownNow();
        }
      }
      assertThat(nativeObjects(model)).as("native objects after the threads").isEqualTo(before);
    }
  }

  /**
   * Thousands of calls leave the model's native object count unchanged and resident memory flat.
   *
   * @throws Exception when the fixture cannot be loaded or {@code /proc/self/status} read
   */
  @Test
  public void nativeMemoryStaysFlat() throws Exception {
    try (Backend backend = open(); CleftModel model = backend.load(Fixtures.tiny())) {
      assumeTrue(nativeObjects(model) >= 0, backendName() + " cannot count its native objects");
      assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "resident memory is read from /proc (Linux)");
      ImageBatch images = TinyReference.pixels().slice(0, 2);
      List<String> texts = List.of("this is a chest x ray of a patient with edema", "no finding");
      try (ZeroShotClassifier classifier = model.zeroShot(TinyReference.strings("class_names"), TEMPLATE)) {
        for (int i = 0; i < 400; i++) { // warm up the allocator's pools and arenas
          call(i, classifier, model, images, texts);
        }
        long objects = nativeObjects(model);
        // resident memory after each round; the baseline is the lowest of the first two, since the allocator
        // moves it by tens of MB either way while its arenas settle
        long[] rss = new long[5];
        for (int round = 0; round < rss.length; round++) {
          for (int i = 0; i < 400; i++) {
            call(i, classifier, model, images, texts);
          }
          rss[round] = residentKb();
        }
        assertThat(nativeObjects(model)).as("native objects after 2,000 calls").isEqualTo(objects);
        long growth = rss[rss.length - 1] - Math.min(rss[0], rss[1]);
        assertThat(growth).as("RSS growth in KiB, rounds %s", java.util.Arrays.toString(rss))
            .isLessThan(residentGrowthLimitKb());
      }
    }
  }

  private static void call(int i, ZeroShotClassifier classifier, CleftModel model, ImageBatch images,
      List<String> texts) {
    if (i % 2 == 0) {
      classifier.classify(images);
    } else {
      model.textEncoder().encodeTexts(texts);
    }
  }

  private static long residentKb() throws Exception {
    System.gc();
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no VmRSS in /proc/self/status");
  }

  private static void assertSame(Classification expected, Classification actual) {
    assertThat(actual.classNames()).isEqualTo(expected.classNames());
    assertThat(actual.logits()).isDeepEqualTo(expected.logits());
    assertThat(actual.probabilities()).isDeepEqualTo(expected.probabilities());
  }

  private static float[][] probabilities(ZeroShotClassifier classifier, ImageBatch images) {
    try (classifier) {
      return classifier.classify(images).probabilities();
    }
  }

  private static float[] flat(float[][] rows) {
    float[] out = new float[rows.length * rows[0].length];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(rows[i], 0, out, i * rows[i].length, rows[i].length);
    }
    return out;
  }

  private static double maxAbsDiff(float[] a, float[] b) {
    return TinyReference.maxAbsDiff(a, b);
  }
}
