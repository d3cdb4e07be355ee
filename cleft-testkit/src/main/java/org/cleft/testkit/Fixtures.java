package org.cleft.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cleft.api.safetensors.SafetensorsFile;
import org.cleft.api.safetensors.SafetensorsWriter;
import org.cleft.api.safetensors.Tensor;

/**
 * Locates the reference fixtures bundled with this module as directories on disk.
 *
 * <p>When the fixtures sit in a directory on the class path (a reactor build) that directory is
 * returned; when they sit inside a jar they are copied once per JVM into a temporary directory.
 */
public final class Fixtures {
  private static final String ROOT = "org/cleft/testkit/fixtures/";
  private static Path root;

  private Fixtures() {}

  /** {@return the tiny HuggingFace reference model and its expected tensors ({@code hf-reference/tiny})} */
  public static Path tiny() {
    return root().resolve("tiny");
  }

  /**
   * Names of the extra reference cases in {@code variants/} (other gpt2 / dinov2 configurations).
   *
   * @return the variant names
   */
  public static java.util.List<String> variantNames() {
    return java.util.List.of("dinov2_up_bpe", "reg_down_gpt2", "dinov2_same");
  }

  /**
   * {@return one extra reference case, laid out like {@link #tiny()}}
   *
   * @param name a name from {@link #variantNames()}
   */
  public static Path variant(String name) {
    if (!variantNames().contains(name)) {
      throw new IllegalArgumentException("no fixture variant '" + name + "'; known: " + variantNames());
    }
    return root().resolve("variants").resolve(name);
  }

  /**
   * Names of the LLaMA reference cases in {@code llama/} (plain-PyTorch references, see
   * {@code tools/llama-reference}).
   *
   * @return the names
   */
  public static java.util.List<String> llamaNames() {
    return java.util.List.of("gqa_llama3", "mha_linear_bias");
  }

  /**
   * {@return one LLaMA reference case, laid out like {@link #tiny()} with a llama {@code text/}}
   *
   * @param name a name from {@link #llamaNames()}
   */
  public static Path llama(String name) {
    if (!llamaNames().contains(name)) {
      throw new IllegalArgumentException("no llama fixture '" + name + "'; known: " + llamaNames());
    }
    return root().resolve("llama").resolve(name);
  }

  /** {@return the preprocessing reference ({@code preprocess}): images, stages and {@code fixture.json}} */
  public static Path preprocess() {
    return root().resolve("preprocess");
  }

  /** {@return GPT-2's {@code vocab.json} and {@code merges.txt}} */
  public static Path gpt2Tokenizer() {
    return root().resolve("gpt2-tokenizer");
  }

  /**
   * Copies a fixture folder (for example {@link #tiny()}) to {@code to}, writable, so a test can alter
   * or delete files in the copy.
   *
   * @param from the fixture folder
   * @param to the destination folder (created)
   * @return {@code to}
   */
  public static Path copy(Path from, Path to) {
    try (java.util.stream.Stream<Path> paths = Files.walk(from)) {
      for (Path p : paths.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
          target.toFile().setWritable(true);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy fixture " + from + " to " + to, e);
    }
    return to;
  }

  /**
   * Copies the tiny fixture to {@code to} with a {@code cleft.json} that names its LoRA adapter and the 56 px
   * input size of its vision config, so that training runs on it (as a base assembled by {@code cleft train}).
   *
   * @param to the destination folder (created)
   * @return {@code to}
   */
  public static Path trainableTiny(Path to) {
    copy(tiny(), to);
    try {
      Files.writeString(to.resolve("cleft.json"), "{\"format\": \"cleft-checkpoint\", \"text\": {\"adapter\": "
          + "\"lora\"}, \"vision\": {\"image_size\": 56}}");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + to.resolve("cleft.json"), e);
    }
    return to;
  }

  /**
   * Copies the tiny fixture to {@code to} with its {@code logit_scale} set to NaN (a damaged checkpoint).
   *
   * @param to the destination folder (created)
   * @return {@code to}
   */
  public static Path tinyWithNanLogitScale(Path to) {
    copy(tiny(), to);
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    try (SafetensorsFile f = SafetensorsFile.open(tiny().resolve("heads.safetensors"))) {
      for (String name : f.names()) {
        float[] v = f.floats(name);
        if (name.equals("logit_scale")) {
          v[0] = Float.NaN;
        }
        tensors.put(name, Tensor.ofFloats(f.info(name).shape(), v));
      }
      SafetensorsWriter.write(to.resolve("heads.safetensors"), tensors, Map.of("format", "pt"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + to.resolve("heads.safetensors"), e);
    }
    return to;
  }

  /**
   * Rewrites a safetensors file without the tensor {@code name} ({@code newShape} null) or with it reshaped (the
   * same element count), to damage a checkpoint copy.
   *
   * @param file the safetensors file (a copy)
   * @param name the tensor
   * @param newShape its new shape, or null to drop it
   */
  public static void rewriteTensor(Path file, String name, long[] newShape) {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      for (String n : f.names()) {
        if (!n.equals(name)) {
          tensors.put(n, Tensor.ofFloats(f.info(n).shape(), f.floats(n)));
        } else if (newShape != null) {
          tensors.put(n, Tensor.ofFloats(newShape, f.floats(n)));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    try {
      SafetensorsWriter.write(file, tensors, Map.of());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /**
   * Writes beside a fixture copy a heads file holding the projections and {@code logit_scale} as they are after the
   * reference's AdamW step ({@code train.after_step.*} of {@code expected.safetensors}): the reference computes its
   * IA3 tensors after that step.
   *
   * @param ckpt a fixture copy
   * @param file the heads file to write, relative to {@code ckpt}
   */
  public static void writeHeadsAfterStep(Path ckpt, String file) {
    Map<String, Tensor> heads = new LinkedHashMap<>();
    try (SafetensorsFile expected = SafetensorsFile.open(ckpt.resolve("expected.safetensors"));
        SafetensorsFile original = SafetensorsFile.open(ckpt.resolve("heads.safetensors"))) {
      for (String n : original.names()) {
        String stepped = "train.after_step." + n;
        SafetensorsFile from = expected.contains(stepped) ? expected : original;
        heads.put(n, Tensor.ofFloats(original.info(n).shape(), from.floats(from == expected ? stepped : n)));
      }
      SafetensorsWriter.write(ckpt.resolve(file), heads, Map.of());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + ckpt.resolve(file), e);
    }
  }

  /** {@return the directory holding every fixture} */
  public static synchronized Path root() {
    if (root == null) {
      root = locate();
    }
    return root;
  }

  private static Path locate() {
    URL marker = Fixtures.class.getClassLoader().getResource(ROOT + "files.txt");
    if (marker == null) {
      throw new IllegalStateException("cleft-testkit fixtures not on the class path: " + ROOT);
    }
    try {
      if ("file".equals(marker.getProtocol())) {
        return Path.of(marker.toURI()).getParent();
      }
      return extract(marker);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot extract the cleft-testkit fixtures", e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException("bad fixture URL " + marker, e);
    }
  }

  private static Path extract(URL marker) throws IOException {
    List<String> files;
    try (InputStream in = marker.openStream()) {
      files = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
          .filter(line -> !line.isBlank()).toList();
    }
    Path dir = Files.createTempDirectory("cleft-fixtures");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(dir), "cleft-fixtures-cleanup"));
    for (String file : files) {
      Path target = dir.resolve(file);
      Files.createDirectories(target.getParent());
      try (InputStream in = Fixtures.class.getClassLoader().getResourceAsStream(ROOT + file)) {
        if (in == null) {
          throw new IOException("fixture listed in files.txt but missing: " + file);
        }
        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
      }
    }
    return dir;
  }

  /** Deletes an extracted fixture folder at exit (best effort: a crash leaves it to the OS's temp cleaning). */
  private static void deleteQuietly(Path dir) {
    try (java.util.stream.Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | RuntimeException e) {
      // nothing to do at shutdown
    }
  }
}
