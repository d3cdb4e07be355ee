package org.cleft.api.spi;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Function;
import org.cleft.api.Capability;

/**
 * Chooses a backend: an explicit name given in code, else the {@code cleft.backend} system property,
 * else the {@code CLEFT_BACKEND} environment variable, else the highest-priority usable provider
 * with the capability asked for. When nothing fits, a {@link NoSuitableBackendException} lists
 * every provider found and why each was rejected.
 */
public final class BackendResolver {
  /** The system property that names a backend. */
  public static final String PROPERTY = "cleft.backend";
  /** The environment variable that names a backend. */
  public static final String ENVIRONMENT = "CLEFT_BACKEND";

  private final List<BackendProvider> providers;
  private final Function<String, String> properties;
  private final Function<String, String> environment;

  private BackendResolver(List<BackendProvider> providers, Function<String, String> properties,
      Function<String, String> environment) {
    this.providers = List.copyOf(providers);
    this.properties = properties;
    this.environment = environment;
  }

  /**
   * {@return a resolver over the providers {@link ServiceLoader} finds, reading the real property and
   * environment}
   */
  public static BackendResolver fromServiceLoader() {
    List<BackendProvider> found = new ArrayList<>();
    ServiceLoader.load(BackendProvider.class).forEach(found::add);
    return new BackendResolver(found, System::getProperty, System::getenv);
  }

  /**
   * {@return a resolver over given providers, with the property and environment lookups given too (for tests
   * and for applications that configure backends themselves)}
   *
   * @param providers the providers to choose from, in the order to report them
   * @param properties looks up a system property by name (may return null)
   * @param environment looks up an environment variable by name (may return null)
   */
  public static BackendResolver of(List<BackendProvider> providers, Function<String, String> properties,
      Function<String, String> environment) {
    return new BackendResolver(providers, properties, environment);
  }

  /** {@return the providers this resolver chooses from, in discovery order} */
  public List<BackendProvider> providers() {
    return providers;
  }

  /**
   * Resolves without an explicit name.
   *
   * @param capability what the backend must be able to do
   * @return the chosen provider
   */
  public BackendProvider resolve(Capability capability) {
    return resolve(capability, null);
  }

  /**
   * Resolves a provider.
   *
   * @param capability what the backend must be able to do
   * @param explicitName a provider name chosen in code, or null to fall back to the property, the
   *     environment, then priority
   * @return the chosen provider
   * @throws NoSuitableBackendException listing every provider and why it was rejected
   */
  public BackendProvider resolve(Capability capability, String explicitName) {
    Optional<Named> named = requestedName(explicitName);
    if (named.isPresent()) {
      return resolveNamed(capability, named.get());
    }
    Map<String, String> rejections = new LinkedHashMap<>();
    Optional<BackendProvider> best = providers.stream()
        .filter(p -> accept(p, capability, rejections))
        .max(Comparator.comparingInt(BackendProvider::priority));
    return best.orElseThrow(() -> new NoSuitableBackendException("capability " + capability, rejections));
  }

  private BackendProvider resolveNamed(Capability capability, Named named) {
    Map<String, String> rejections = new LinkedHashMap<>();
    BackendProvider match = null;
    for (BackendProvider p : providers) {
      if (!p.name().equalsIgnoreCase(named.name)) {
        rejections.put(p.name(), "not the backend named by " + named.source + " ('" + named.name + "')");
      } else if (accept(p, capability, rejections)) {
        match = p;
      }
    }
    if (match == null) {
      throw new NoSuitableBackendException(
          "'" + named.name + "' (named by " + named.source + ") with capability " + capability, rejections);
    }
    return match;
  }

  private static boolean accept(BackendProvider p, Capability capability, Map<String, String> rejections) {
    if (!p.capabilities().contains(capability)) {
      rejections.put(p.name(), "lacks capability " + capability + " (has " + p.capabilities() + ")");
      return false;
    }
    Optional<String> unavailable = p.unavailableReason();
    if (unavailable.isPresent()) {
      rejections.put(p.name(), "unavailable: " + unavailable.get());
      return false;
    }
    return true;
  }

  private Optional<Named> requestedName(String explicitName) {
    if (explicitName != null && !explicitName.isBlank()) {
      return Optional.of(new Named(explicitName.trim().toLowerCase(Locale.ROOT), "the caller"));
    }
    String prop = properties.apply(PROPERTY);
    if (prop != null && !prop.isBlank()) {
      return Optional.of(new Named(prop.trim().toLowerCase(Locale.ROOT), "-D" + PROPERTY));
    }
    String env = environment.apply(ENVIRONMENT);
    if (env != null && !env.isBlank()) {
      return Optional.of(new Named(env.trim().toLowerCase(Locale.ROOT), ENVIRONMENT));
    }
    return Optional.empty();
  }

  private record Named(String name, String source) {}
}
