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

  /** The short name users select it by ({@code djl}, {@code onnx}, {@code tf}). */
  String name();

  /** Higher wins when several providers have the capability asked for. */
  int priority();

  /** What this backend can do, as far as can be told without loading native code. */
  Set<Capability> capabilities();

  /**
   * Why this backend cannot be used in this process, if it cannot (a missing native library, say);
   * checked without loading native code where possible. Empty when usable.
   */
  default Optional<String> unavailableReason() {
    return Optional.empty();
  }

  /** Creates the backend; this is where native engines load. */
  Backend create(BackendOptions options);
}
