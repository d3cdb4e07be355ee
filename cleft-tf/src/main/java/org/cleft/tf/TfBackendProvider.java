package org.cleft.tf;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.cleft.api.Capability;
import org.cleft.api.spi.Backend;
import org.cleft.api.spi.BackendOptions;
import org.cleft.api.spi.BackendProvider;

/**
 * The {@code tf} backend: TensorFlow Java 1.1 (TensorFlow 2.18) in graph mode, running the model module's towers.
 * Priority 20, below DJL (100) and ONNX Runtime (50), so it is chosen when named. Loads nothing native until
 * {@link #create} is called; whether the natives are there is judged by looking for their resources.
 */
public final class TfBackendProvider implements BackendProvider {
  /** The provider name. */
  public static final String NAME = "tf";
  /** The provider priority: below DJL (100) and ONNX Runtime (50). */
  public static final int PRIORITY = 20;

  /** Creates the provider (cheap; no native code). */
  public TfBackendProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int priority() {
    return PRIORITY;
  }

  @Override
  public Set<Capability> capabilities() {
    EnumSet<Capability> caps = EnumSet.of(Capability.INFERENCE, Capability.TRAINING);
    if (TfNatives.gpuBuildPresent()) {
      caps.add(Capability.GPU);
    }
    return caps;
  }

  @Override
  public Optional<String> unavailableReason() {
    if (!TfNatives.javaApiPresent()) {
      return Optional.of("the TensorFlow Java jar (org.tensorflow:tensorflow-core-api) is not on the class path");
    }
    if (TfNatives.platform() == null) {
      return Optional.of("no TensorFlow native library for " + System.getProperty("os.name") + " "
          + System.getProperty("os.arch") + " on the class path (org.tensorflow:tensorflow-core-native with the "
          + "classifier of this platform, e.g. linux-x86_64)");
    }
    return Optional.empty();
  }

  @Override
  public Backend create(BackendOptions options) {
    return new TfBackend(options);
  }
}
