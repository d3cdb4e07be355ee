package org.cleft.onnx;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cleft.api.CleftHome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unpacks ONNX Runtime's natives from its jar into {@link CleftHome} ({@code onnxruntime/<jar>/<platform>/}) and
 * points ONNX Runtime at them, instead of letting it copy them into a fresh {@code /tmp/onnxruntime-java*}
 * folder on every start. A file already there with the resource's size is used as it is, so a home folder
 * populated once can be read-only. When the folder cannot be written and holds no copy of this jar's natives,
 * a warning says so and ONNX Runtime unpacks them its own way (into the temporary folder). Settings a user made
 * ({@code onnxruntime.native.path} or a per-library {@code onnxruntime.native.<lib>.path}) are kept.
 */
final class OnnxNatives {
  /** The libraries ONNX Runtime's jars may carry, in load order. */
  static final List<String> LIBRARIES = List.of("onnxruntime", "onnxruntime4j_jni", "onnxruntime_providers_shared",
      "onnxruntime_providers_cuda", "onnxruntime_providers_tensorrt");
  private static final Logger LOG = LoggerFactory.getLogger(OnnxNatives.class);
  private static volatile Path installed;

  private OnnxNatives() {}

  /**
   * {@return the folder the natives were unpacked to, or empty when the user chose a folder, this platform has no
   * natives in the jar, or the home folder cannot take them (ONNX Runtime then loads them its own way)}
   */
  static synchronized Optional<Path> install() {
    if (installed != null) {
      return Optional.of(installed);
    }
    Optional<String> platform = OnnxRuntimeLibrary.platform();
    if (System.getProperty(OnnxRuntimeLibrary.NATIVE_PATH_PROPERTY) != null || platform.isEmpty()
        || LIBRARIES.stream().anyMatch(l -> System.getProperty(property(l)) != null)) {
      return Optional.empty();
    }
    Path dir = CleftHome.resolve("onnxruntime").resolve(jarName()).resolve(platform.get());
    Map<String, Path> loaded = new LinkedHashMap<>();
    for (String library : LIBRARIES) {
      String file = System.mapLibraryName(library).replace("jnilib", "dylib");
      URL resource = OnnxNatives.class.getClassLoader().getResource("ai/onnxruntime/native/" + platform.get() + "/" + file);
      if (resource != null) {
        try {
          copy(resource, dir.resolve(file));
        } catch (IOException e) {
          LOG.warn("cannot unpack ONNX Runtime's natives into {} ({}); ONNX Runtime unpacks them into the temporary "
              + "folder instead. Make the cleft home folder ({} / {}) writable once, or populate it on another "
              + "machine (docs/troubleshooting.md)", dir, e.getMessage(), CleftHome.PROPERTY, CleftHome.ENV);
          return Optional.empty();
        }
        if (!library.startsWith("onnxruntime_providers")) {
          loaded.put(property(library), dir.resolve(file));
        }
      }
    }
    if (loaded.isEmpty()) {
      return Optional.empty();
    }
    loaded.forEach((key, path) -> System.setProperty(key, path.toString()));
    // execution providers are looked up in this folder
    System.setProperty(OnnxRuntimeLibrary.NATIVE_PATH_PROPERTY, dir.toString());
    installed = dir;
    return Optional.of(dir);
  }

  private static String property(String library) {
    return "onnxruntime.native." + library + ".path";
  }

  /** The ONNX Runtime jar's file name without {@code .jar} (its artifact and version), so versions never mix. */
  private static String jarName() {
    try {
      URL jar = ai.onnxruntime.OrtEnvironment.class.getProtectionDomain().getCodeSource().getLocation();
      String name = Path.of(jar.toURI()).getFileName().toString();
      return name.endsWith(".jar") ? name.substring(0, name.length() - 4) : name;
    } catch (Exception | LinkageError e) {
      return "onnxruntime";
    }
  }

  /** Copies a resource unless {@code target} already holds a file of its size (atomically: temp file, rename). */
  private static void copy(URL resource, Path target) throws IOException {
    // a cached connection reads the class loader's open jar: nothing is left open per call
    URLConnection c = resource.openConnection();
    long size = c.getContentLengthLong();
    if (Files.isRegularFile(target) && (size < 0 || Files.size(target) == size)) {
      return;
    }
    Files.createDirectories(target.getParent());
    Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
    try (InputStream in = c.getInputStream()) {
      Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
