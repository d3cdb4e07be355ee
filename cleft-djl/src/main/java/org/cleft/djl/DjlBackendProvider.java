package org.cleft.djl;

import java.util.EnumSet;
import java.util.Set;
import org.cleft.api.Capability;
import org.cleft.api.spi.Backend;
import org.cleft.api.spi.BackendOptions;
import org.cleft.api.spi.BackendProvider;

/**
 * The {@code djl} backend: training and inference on DJL's PyTorch engine. Loads nothing native
 * until {@link #create} is called; reports GPU only when a CUDA device is visible to the process.
 */
public final class DjlBackendProvider implements BackendProvider {
  /** The provider name. */
  public static final String NAME = "djl";

  /** Creates the provider (cheap; no native code). */
  public DjlBackendProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int priority() {
    return 100;
  }

  @Override
  public Set<Capability> capabilities() {
    EnumSet<Capability> caps = EnumSet.of(Capability.TRAINING, Capability.INFERENCE);
    if (DjlEngine.cudaDeviceVisible()) {
      caps.add(Capability.GPU);
    }
    return caps;
  }

  @Override
  public Backend create(BackendOptions options) {
    return new DjlBackend(options);
  }
}
