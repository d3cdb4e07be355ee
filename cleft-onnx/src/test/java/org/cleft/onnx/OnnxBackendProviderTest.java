package org.cleft.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.cleft.api.Capability;
import org.cleft.api.spi.Backend;
import org.cleft.api.spi.BackendOptions;
import org.cleft.api.spi.BackendProvider;
import org.cleft.api.spi.BackendResolver;
import org.junit.jupiter.api.Test;

/** The provider: registration, ranking against DJL, capabilities, and no native code before a backend is made. */
class OnnxBackendProviderTest {

  @Test
  void registeredThroughServiceLoader() {
    List<BackendProvider> found = BackendResolver.fromServiceLoader().providers();
    assertThat(found).anySatisfy(p -> assertThat(p).isInstanceOf(OnnxBackendProvider.class));
    BackendProvider onnx = BackendResolver.fromServiceLoader().resolve(Capability.INFERENCE, "onnx");
    assertThat(onnx.name()).isEqualTo("onnx");
    assertThat(onnx.priority()).isEqualTo(50);
    assertThat(onnx.unavailableReason()).isEmpty();
  }

  @Test
  void cpuJarGivesInferenceWithoutGpu() {
    // this module depends on the CPU-only onnxruntime jar, which has no CUDA provider library
    assertThat(new OnnxBackendProvider().capabilities()).containsExactly(Capability.INFERENCE);
  }

  @Test
  void cudaProviderFoundInANativePathFolder(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
    Files.createFile(tmp.resolve(System.mapLibraryName("onnxruntime_providers_cuda")));
    String before = System.getProperty(OnnxRuntimeLibrary.NATIVE_PATH_PROPERTY);
    System.setProperty(OnnxRuntimeLibrary.NATIVE_PATH_PROPERTY, tmp.toString());
    try {
      assertThat(new OnnxBackendProvider().capabilities()).contains(Capability.INFERENCE, Capability.GPU);
    } finally {
      if (before == null) {
        System.clearProperty(OnnxRuntimeLibrary.NATIVE_PATH_PROPERTY);
      } else {
        System.setProperty(OnnxRuntimeLibrary.NATIVE_PATH_PROPERTY, before);
      }
    }
  }

  @Test
  void djlWinsWhenBothArePresentAndNothingIsNamed() {
    BackendResolver resolver = BackendResolver.of(List.of(new OnnxBackendProvider(), new Priority100()),
        key -> null, key -> null);
    assertThat(resolver.resolve(Capability.INFERENCE).name()).isEqualTo("djl");
    assertThat(resolver.resolve(Capability.INFERENCE, "onnx").name()).isEqualTo("onnx");
  }

  @Test
  void nativesLoadOnlyWhenABackendIsCreated() throws Exception {
    // a fresh JVM: this one may already have loaded ONNX Runtime for another test
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), NativeLoadProbe.class.getName()).redirectErrorStream(true).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(out).as(out).contains("after provider: false").contains("after create: true");
  }

  /** The child process of {@link #nativesLoadOnlyWhenABackendIsCreated}. */
  static final class NativeLoadProbe {
    public static void main(String[] args) throws IOException {
      BackendProvider provider = BackendResolver.fromServiceLoader().resolve(Capability.INFERENCE, "onnx");
      provider.capabilities();
      provider.unavailableReason();
      System.out.println("after provider: " + onnxRuntimeMapped());
      try (Backend backend = provider.create(BackendOptions.defaults())) {
        System.out.println("after create: " + onnxRuntimeMapped());
      }
    }

    static boolean onnxRuntimeMapped() throws IOException {
      return Files.readAllLines(Path.of("/proc/self/maps")).stream().anyMatch(l -> l.contains("libonnxruntime"));
    }
  }

  /** A stand-in with DJL's name and priority, so that ranking is tested without loading libtorch. */
  private static final class Priority100 implements BackendProvider {
    @Override
    public String name() {
      return "djl";
    }

    @Override
    public int priority() {
      return 100;
    }

    @Override
    public Set<Capability> capabilities() {
      return EnumSet.of(Capability.TRAINING, Capability.INFERENCE);
    }

    @Override
    public Backend create(BackendOptions options) {
      throw new UnsupportedOperationException("not created in this test");
    }
  }
}
