package org.cleft.api.spi;

import java.util.Optional;
import java.util.Set;
import org.cleft.api.Capability;

/**
 * A backend as found by {@link java.util.ServiceLoader}: register an implementation in
 * {@code META-INF/services/org.cleft.api.spi.BackendProvider}. Creating a provider must be cheap
 * and load nothing native; native engines load in {@link #create}.
 */
public interface BackendProvider {

  /** {@return the short name users select it by ({@code djl}, {@code onnx}, {@code tf})} */
  String name();

  /** {@return the priority: higher wins when several providers have the capability asked for} */
  int priority();

  /** {@return what this backend can do, as far as can be told without loading native code} */
  Set<Capability> capabilities();

  /**
   * {@return why this backend cannot be used in this process (a missing native library, say), or empty when
   * it can} Checked without loading native code where possible.
   */
  default Optional<String> unavailableReason() {
    return Optional.empty();
  }

  /**
   * Creates the backend; this is where native engines load.
   *
   * @param options device, precision and backend-specific extras
   * @return the backend, which the caller closes
   */
  Backend create(BackendOptions options);
}
