package org.cleft.djl.train;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cleft.api.TrainingConfig;

/** The {@code provenance} block of a checkpoint written by training. */
final class Provenance {
  private Provenance() {}

  static Map<String, Object> of(String stage, TrainingConfig config, TrainerState state, Path base) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("backend", "djl");
    p.put("stage", stage);
    p.put("step", state.step());
    p.put("steps", config.steps());
    p.put("seed", config.seed());
    p.put("optimizer", config.optimizer().name());
    p.put("learning_rate", config.learningRate());
    p.put("base_checkpoint", base.toAbsolutePath().normalize().toString());
    p.put("cleft_version", version());
    p.put("djl_version", ai.djl.engine.Engine.getDjlVersion());
    p.put("written_at", Instant.now().toString());
    return p;
  }

  private static String version() {
    String v = Provenance.class.getPackage().getImplementationVersion();
    return v == null ? "development" : v;
  }
}
