package org.cleft.api.train;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cleft.api.TrainingConfig;

/**
 * Where a checkpoint written by training came from (Tribuo's {@code ModelProvenance} in spirit): the engine that
 * trained it with its versions (filled by the engine, not hard-coded), the stage and step, the settings that
 * define the run, the base checkpoint, cleft's version and the time. Written as {@code cleft.json}'s
 * {@code provenance} map by {@link #toMap()}.
 *
 * @param backend the backend's name ({@code djl}, ...)
 * @param engineVersions the engine's versions by key (e.g. {@code djl_version}), in order
 * @param stage the training stage ({@code pretrain}, {@code prompt})
 * @param step the steps taken
 * @param steps the steps of the run
 * @param seed the run's seed
 * @param optimizer the optimiser
 * @param learningRate the peak learning rate
 * @param baseCheckpoint the checkpoint the run started from (absolute)
 * @param cleftVersion cleft's version ({@code development} when not built as a release)
 * @param writtenAt when the checkpoint was written
 */
public record TrainingProvenance(String backend, Map<String, String> engineVersions, String stage, long step,
    long steps, long seed, String optimizer, double learningRate, Path baseCheckpoint, String cleftVersion,
    Instant writtenAt) {

  /**
   * Copies the versions, keeping their order.
   *
   * @param backend the backend's name
   * @param engineVersions the engine's versions by key
   * @param stage the training stage
   * @param step the steps taken
   * @param steps the steps of the run
   * @param seed the run's seed
   * @param optimizer the optimiser
   * @param learningRate the peak learning rate
   * @param baseCheckpoint the checkpoint the run started from
   * @param cleftVersion cleft's version
   * @param writtenAt when the checkpoint was written
   */
  public TrainingProvenance {
    engineVersions = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(engineVersions));
  }

  /**
   * {@return the provenance of a checkpoint written now at {@code step} of a run}
   *
   * @param backend the backend's name
   * @param engineVersions the engine's versions by key, e.g. {@code Map.of("djl_version", ...)}
   * @param stage the training stage
   * @param config the run's configuration
   * @param step the steps taken
   * @param base the checkpoint the run started from
   */
  public static TrainingProvenance of(String backend, Map<String, String> engineVersions, String stage,
      TrainingConfig config, long step, Path base) {
    return new TrainingProvenance(backend, engineVersions, stage, step, config.steps(), config.seed(),
        config.optimizer().name(), config.learningRate(), base.toAbsolutePath().normalize(), currentCleftVersion(),
        Instant.now());
  }

  /** {@return the {@code provenance} map of {@code cleft.json} (snake_case keys)} */
  public Map<String, Object> toMap() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("backend", backend);
    p.put("stage", stage);
    p.put("step", step);
    p.put("steps", steps);
    p.put("seed", seed);
    p.put("optimizer", optimizer);
    p.put("learning_rate", learningRate);
    p.put("base_checkpoint", baseCheckpoint.toString());
    p.put("cleft_version", cleftVersion);
    p.putAll(engineVersions);
    p.put("written_at", writtenAt.toString());
    return p;
  }

  private static String currentCleftVersion() {
    String v = TrainingProvenance.class.getPackage().getImplementationVersion();
    return v == null ? "development" : v;
  }
}
