package org.cleft.api;

import org.cleft.api.spi.Backend;
import org.cleft.api.spi.BackendOptions;
import org.cleft.api.spi.BackendResolver;

/** Entry point for applications: open the backend that the class path and settings select. */
public final class Backends {
  private Backends() {}

  /**
   * Opens the best backend with {@code capability} (honouring {@code -Dcleft.backend} and
   * {@code CLEFT_BACKEND}) with default options: CPU, float32.
   *
   * @param capability what the backend must be able to do
   * @return the backend, which the caller closes
   */
  public static Backend open(Capability capability) {
    return open(capability, null, BackendOptions.defaults());
  }

  /**
   * Opens a backend.
   *
   * @param capability what it must do
   * @param name a provider name, or null to let settings and priority decide
   * @param options device, precision and extras
   * @return the backend, which the caller closes
   */
  public static Backend open(Capability capability, String name, BackendOptions options) {
    return BackendResolver.fromServiceLoader().resolve(capability, name).create(options);
  }
}
