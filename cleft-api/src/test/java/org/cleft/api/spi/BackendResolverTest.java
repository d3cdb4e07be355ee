package org.cleft.api.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.cleft.api.Capability;
import org.junit.jupiter.api.Test;

class BackendResolverTest {
  private static final Function<String, String> NONE = key -> null;

  private static BackendResolver resolver(Function<String, String> props, Function<String, String> env) {
    List<BackendProvider> providers = List.of(new TestProviders.Trainer(), new TestProviders.Inference(),
        new TestProviders.Broken());
    return BackendResolver.of(providers, props, env);
  }

  @Test
  void serviceLoaderFindsEveryRegisteredProvider() {
    assertThat(BackendResolver.fromServiceLoader().providers())
        .extracting(BackendProvider::name)
        .containsExactly("trainer", "inference", "broken");
  }

  @Test
  void highestPriorityUsableProviderWithTheCapabilityWins() {
    assertThat(resolver(NONE, NONE).resolve(Capability.INFERENCE).name()).isEqualTo("inference");
    assertThat(resolver(NONE, NONE).resolve(Capability.TRAINING).name()).isEqualTo("trainer");
  }

  @Test
  void explicitNameBeatsPropertyAndEnvironment() {
    BackendResolver r = resolver(Map.of(BackendResolver.PROPERTY, "inference")::get,
        Map.of(BackendResolver.ENVIRONMENT, "inference")::get);
    assertThat(r.resolve(Capability.INFERENCE, "TRAINER").name()).isEqualTo("trainer");
  }

  @Test
  void systemPropertyBeatsEnvironment() {
    BackendResolver r = resolver(Map.of(BackendResolver.PROPERTY, "trainer")::get,
        Map.of(BackendResolver.ENVIRONMENT, "inference")::get);
    assertThat(r.resolve(Capability.INFERENCE).name()).isEqualTo("trainer");
  }

  @Test
  void environmentIsUsedWhenNoPropertyIsSet() {
    BackendResolver r = resolver(NONE, Map.of(BackendResolver.ENVIRONMENT, "trainer")::get);
    assertThat(r.resolve(Capability.INFERENCE).name()).isEqualTo("trainer");
  }

  @Test
  void namedProviderLackingTheCapabilityIsRejectedWithReasons() {
    assertThatThrownBy(() -> resolver(NONE, NONE).resolve(Capability.TRAINING, "inference"))
        .isInstanceOf(NoSuitableBackendException.class)
        .hasMessageContaining("'inference'")
        .hasMessageContaining("inference: lacks capability TRAINING")
        .hasMessageContaining("trainer: not the backend named by the caller")
        .hasMessageContaining("broken: not the backend named by the caller");
  }

  @Test
  void unknownNameListsEveryProvider() {
    NoSuitableBackendException e = org.junit.jupiter.api.Assertions.assertThrows(NoSuitableBackendException.class,
        () -> resolver(Map.of(BackendResolver.PROPERTY, "tf")::get, NONE).resolve(Capability.INFERENCE));
    assertThat(e.getMessage()).contains("-Dcleft.backend").contains("3 provider(s) found");
    assertThat(e.rejections()).containsOnlyKeys("trainer", "inference", "broken");
  }

  @Test
  void unavailableProviderIsSkippedWithItsReason() {
    assertThatThrownBy(() -> resolver(NONE, NONE).resolve(Capability.GPU))
        .isInstanceOf(NoSuitableBackendException.class)
        .hasMessageContaining("broken: unavailable: native library libbroken.so not found")
        .hasMessageContaining("trainer: lacks capability GPU");
  }

  @Test
  void emptyClassPathSaysWhichDependencyToAdd() {
    assertThatThrownBy(() -> BackendResolver.of(List.of(), NONE, NONE).resolve(Capability.INFERENCE))
        .isInstanceOf(NoSuitableBackendException.class)
        .hasMessageContaining("no provider found on the class path")
        .hasMessageContaining("cleft-djl");
  }

  @Test
  void createdBackendCarriesTheProviderName() {
    try (Backend b = resolver(NONE, NONE).resolve(Capability.TRAINING).create(BackendOptions.defaults())) {
      assertThat(b.name()).isEqualTo("trainer");
    }
  }
}
