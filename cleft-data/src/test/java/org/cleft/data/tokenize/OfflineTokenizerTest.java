package org.cleft.data.tokenize;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.util.Utils;
import org.cleft.api.CleftHome;
import org.cleft.testkit.Fixtures;
import org.junit.jupiter.api.Test;

/**
 * An application that uses only cleft-data (no engine module) still keeps DJL's tokenizer off the network:
 * creating a tokenizer switches DJL's usage tracking off (read back through DJL's own settings reader, the
 * one its tracking code consults) and puts its native library under cleft's home folder.
 */
class OfflineTokenizerTest {
  @Test
  void creatingATokenizerOptsOutOfTrackingFirst() {
    try (HfTextTokenizer tokenizer = TextTokenizers.fromDirectory(Fixtures.tiny().resolve("text"))) {
      assertThat(tokenizer.ids("edema")).isNotEmpty();
    }
    assertThat(Utils.getEnvOrSystemProperty("OPT_OUT_TRACKING")).isEqualTo("true");
    assertThat(Utils.isOfflineMode()).isTrue();
    if (System.getenv(CleftHome.DJL_CACHE_DIR) == null && System.getenv(CleftHome.DJL_ENGINE_CACHE_DIR) == null) {
      assertThat(Utils.getEngineCacheDir()).startsWith(CleftHome.directory());
    }
  }
}
