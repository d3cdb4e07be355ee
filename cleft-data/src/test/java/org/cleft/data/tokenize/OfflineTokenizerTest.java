package org.cleft.data.tokenize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.util.Utils;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.cleft.api.CleftHome;
import org.cleft.testkit.Fixtures;
import org.junit.jupiter.api.Test;

/**
 * An application that uses only cleft-data (no engine module) keeps DJL's tokenizer off the network. Checked in a
 * fresh JVM (nothing set by other tests), which records every host the process connects to: none with cleft's
 * tokenizer; DJL's usage-tracking address when DJL's tokenizer is made directly (the control).
 */
class OfflineTokenizerTest {
  @Test
  void creatingATokenizerOpensNoUrlInAFreshJvm() throws Exception {
    // the probe needs a security manager, which Java 24 removed
    assumeTrue(Runtime.version().feature() < 24, "Java " + Runtime.version().feature() + " has no security manager");
    String cleft = probe(false);
    assertThat(cleft).startsWith("asked=[]");
    String raw = probe(true);
    assertThat(raw).as("the control: DJL alone calls home").contains("169.254.169.254");
  }

  @Test
  void trackingIsOffAndNativesGoToTheHomeFolder() {
    try (HfTextTokenizer tokenizer = TextTokenizers.fromDirectory(Fixtures.tiny().resolve("text"))) {
      assertThat(tokenizer.ids("edema")).isNotEmpty();
    }
    assertThat(Utils.getEnvOrSystemProperty("OPT_OUT_TRACKING")).isEqualTo("true");
    if (System.getenv(CleftHome.DJL_CACHE_DIR) == null && System.getenv(CleftHome.DJL_ENGINE_CACHE_DIR) == null) {
      assertThat(Utils.getEngineCacheDir()).startsWith(CleftHome.directory());
    }
  }

  private static String probe(boolean raw) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Djava.security.manager=allow", "-cp", System.getProperty("java.class.path"), OfflineProbe.class.getName(),
        Fixtures.tiny().resolve("text").toString()));
    if (raw) {
      cmd.add("--raw");
    }
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().remove("OPT_OUT_TRACKING");
    pb.environment().remove("DJL_OFFLINE");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out.lines().filter(l -> l.startsWith("asked=")).findFirst().orElseThrow(() -> new AssertionError(out));
  }
}
