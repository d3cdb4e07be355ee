package org.cleft.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one folder where cleft and its engines keep what they unpack: DJL's libtorch and tokenizer natives
 * ({@code djl/}), JNA's helper library ({@code jna/}), ONNX Runtime's natives ({@code onnxruntime/}) and TensorFlow
 * Java's, unpacked by JavaCPP ({@code javacpp/}).
 * It is {@code -Dcleft.home}, else the environment variable {@code CLEFT_HOME}, else {@code ~/.cleft}.
 * Populate it once on a machine with write access (any cleft command that runs a model does) and point
 * read-only machines at it; nothing is downloaded into it, everything comes out of jars on the class path.
 *
 * <p>{@link #configureEngines()} also keeps the engines off the network: DJL's offline mode and its
 * usage-tracking opt-out (without which DJL connects to a cloud metadata address when a tokenizer or an
 * engine is created). Every cleft module that touches an engine or a tokenizer calls it first; settings a
 * user made explicitly ({@code DJL_CACHE_DIR}, {@code ENGINE_CACHE_DIR}, {@code jna.tmpdir},
 * {@code org.bytedeco.javacpp.cachedir}) are kept.
 */
public final class CleftHome {
  /** The system property naming the folder. */
  public static final String PROPERTY = "cleft.home";
  /** The environment variable naming the folder. */
  public static final String ENV = "CLEFT_HOME";
  /** DJL's offline switch: never download natives or models. */
  public static final String DJL_OFFLINE = "ai.djl.offline";
  /** DJL's usage-tracking opt-out. */
  public static final String DJL_OPT_OUT_TRACKING = "OPT_OUT_TRACKING";
  /** DJL's cache folder setting (natives of the engines and of the tokenizers go below it). */
  public static final String DJL_CACHE_DIR = "DJL_CACHE_DIR";
  /** DJL's engine cache folder setting. */
  public static final String DJL_ENGINE_CACHE_DIR = "ENGINE_CACHE_DIR";
  /** JNA's folder for its unpacked native library. */
  public static final String JNA_TMPDIR = "jna.tmpdir";
  /** JavaCPP's cache folder, where TensorFlow Java unpacks its natives. */
  public static final String JAVACPP_CACHE_DIR = "org.bytedeco.javacpp.cachedir";
  private static volatile boolean configured;

  private CleftHome() {}

  /** {@return the folder: {@code -Dcleft.home}, else {@code CLEFT_HOME}, else {@code ~/.cleft}} */
  public static Path directory() {
    String dir = System.getProperty(PROPERTY);
    if (dir == null || dir.isBlank()) {
      dir = System.getenv(ENV);
    }
    if (dir == null || dir.isBlank()) {
      return Path.of(System.getProperty("user.home"), ".cleft");
    }
    return Path.of(dir).toAbsolutePath().normalize();
  }

  /**
   * {@return a sub-folder of the home folder (not created)}
   *
   * @param name the sub-folder's name
   */
  public static Path resolve(String name) {
    return directory().resolve(name);
  }

  /**
   * Sets the engines' offline and cache settings; idempotent and cheap, loads nothing native. DJL's offline
   * mode and tracking opt-out are always forced on; the cache folders point into {@link #directory()} unless
   * the user set them (as a system property or an environment variable).
   */
  public static synchronized void configureEngines() {
    System.setProperty(DJL_OFFLINE, "true");
    System.setProperty(DJL_OPT_OUT_TRACKING, "true");
    if (configured) {
      return; // the folders were chosen by the first call (every tokenizer and engine start calls this)
    }
    if (unset(DJL_CACHE_DIR) && unset(DJL_ENGINE_CACHE_DIR)) {
      System.setProperty(DJL_CACHE_DIR, resolve("djl").toString());
    }
    // JNA unpacks its helper library afresh on every start, so its folder must be writable; on a read-only
    // home it keeps its own default
    if (unset(JNA_TMPDIR) && writable(resolve("jna"))) {
      System.setProperty(JNA_TMPDIR, resolve("jna").toString());
    }
    // TensorFlow Java's natives come through JavaCPP, which unpacks them into its cache (default ~/.javacpp)
    if (unset(JAVACPP_CACHE_DIR)) {
      System.setProperty(JAVACPP_CACHE_DIR, resolve("javacpp").toString());
    }
    configured = true;
  }

  /** {@return whether {@link #configureEngines()} has run in this JVM} */
  public static boolean isConfigured() {
    return configured;
  }

  private static boolean writable(Path dir) {
    try {
      Files.createDirectories(dir);
      return Files.isWritable(dir);
    } catch (IOException | SecurityException e) {
      return false;
    }
  }

  private static boolean unset(String key) {
    String p = System.getProperty(key);
    String e = System.getenv(key);
    return (p == null || p.isBlank()) && (e == null || e.isBlank());
  }
}
