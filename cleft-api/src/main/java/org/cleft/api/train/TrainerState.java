package org.cleft.api.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cleft.api.TrainingConfig;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.safetensors.SafetensorsException;
import org.cleft.api.safetensors.SafetensorsFile;
import org.cleft.api.safetensors.Tensor;

/**
 * What a checkpoint needs to resume training, the same on every engine: {@code trainer/state.json} (step,
 * optimiser, the settings that must not change) and {@code trainer/optimizer.safetensors} (the optimiser's
 * buffers, named by the engine's optimiser, e.g. {@code exp_avg.<param>}).
 */
public final class TrainerState {
  /** The folder of a checkpoint holding the trainer state. */
  public static final String FOLDER = "trainer";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private final long step;
  private final TrainingConfig config;
  private final Map<String, Tensor> optimizerState;
  private final Best best;

  /**
   * The state of a run after {@code step} steps.
   *
   * @param step the steps taken
   * @param config the run's configuration
   * @param optimizerState the optimiser's buffers
   * @param best the best evaluation so far, or null
   */
  public TrainerState(long step, TrainingConfig config, Map<String, Tensor> optimizerState, Best best) {
    this.step = step;
    this.config = config;
    this.optimizerState = Collections.unmodifiableMap(new LinkedHashMap<>(optimizerState));
    this.best = best;
  }

  /**
   * The best evaluation so far of a run that keeps {@code best/}.
   *
   * @param metric the selection metric
   * @param value its best value
   */
  public record Best(String metric, double value) {}

  /** {@return the step the state was taken at} */
  public long step() {
    return step;
  }

  /**
   * Writes the state into a checkpoint being written.
   *
   * @param writer the checkpoint
   * @param stage the training stage ({@code pretrain}, {@code prompt})
   * @throws IOException when a file cannot be written
   */
  public void write(CheckpointWriter writer, String stage) throws IOException {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("stage", stage);
    json.put("step", step);
    json.put("optimizer", config.optimizer().name());
    json.put("gradient_accumulation", config.gradientAccumulation());
    json.put("seed", config.seed());
    json.put("steps", config.steps());
    json.put("learning_rate", config.learningRate());
    json.put("min_learning_rate", config.minLearningRate());
    json.put("warmup_steps", config.warmupSteps());
    json.put("weight_decay", config.weightDecay());
    json.put("text_training", config.text().name());
    json.put("vision_training", config.vision().name() + (config.vision() == TrainingConfig.VisionTraining.LAST_BLOCKS
        ? ":" + config.visionLastBlocks() : ""));
    if (best != null) {
      json.put("best_metric", best.metric());
      json.put("best_value", best.value());
    }
    writer.writeString(FOLDER + "/state.json", JSON.writeValueAsString(json));
    writer.writeTensors(FOLDER + "/optimizer.safetensors", optimizerState, Map.of("step", Long.toString(step)));
  }

  /**
   * Reads a saved state and checks it belongs to the same kind of run.
   *
   * @param checkpoint the checkpoint to resume
   * @param stage the training stage of this run
   * @param config this run's configuration
   * @return the step the checkpoint was written at and the optimiser buffers
   * @throws CheckpointException when the files are missing or the run differs in stage, optimiser,
   *     accumulation or seed (a resumed run would then not continue the same run)
   */
  public static Saved read(Path checkpoint, String stage, TrainingConfig config) throws CheckpointException {
    Path dir = checkpoint.resolve(FOLDER);
    Path stateFile = dir.resolve("state.json");
    if (!Files.isRegularFile(stateFile)) {
      throw new CheckpointException(stateFile + ": not found; only checkpoints written by a cleft training run "
          + "can be resumed (start a new run from this checkpoint without resume instead)");
    }
    try {
      JsonNode json = JSON.readTree(stateFile.toFile());
      check(stateFile, "stage", json.path("stage").asText(), stage);
      check(stateFile, "optimizer", json.path("optimizer").asText(), config.optimizer().name());
      check(stateFile, "gradient_accumulation", json.path("gradient_accumulation").asText(),
          Integer.toString(config.gradientAccumulation()));
      check(stateFile, "seed", json.path("seed").asText(), Long.toString(config.seed()));
      // the schedule and what trains must match too, or the resumed run is not the run that was saved
      check(stateFile, "steps", json.path("steps").asText(), Long.toString(config.steps()));
      check(stateFile, "learning_rate", json.path("learning_rate").asText(), Double.toString(config.learningRate()));
      checkIfSaved(stateFile, json, "min_learning_rate", Double.toString(config.minLearningRate()));
      checkIfSaved(stateFile, json, "warmup_steps", Long.toString(config.warmupSteps()));
      checkIfSaved(stateFile, json, "weight_decay", Double.toString(config.weightDecay()));
      checkIfSaved(stateFile, json, "text_training", config.text().name());
      long step = json.path("step").asLong();
      Map<String, Tensor> buffers = new LinkedHashMap<>();
      try (SafetensorsFile f = SafetensorsFile.open(dir.resolve("optimizer.safetensors"))) {
        for (String name : f.names()) {
          buffers.put(name, Tensor.from(f, name));
        }
      }
      Best best = json.has("best_value") && json.path("best_metric").asText().equals(config.selectMetric())
          ? new Best(config.selectMetric(), json.path("best_value").asDouble()) : null;
      return new Saved(step, buffers, best);
    } catch (SafetensorsException e) {
      throw new CheckpointException(e.getMessage(), e);
    } catch (IOException e) {
      throw new CheckpointException(stateFile + ": cannot read: " + e.getMessage(), e);
    }
  }

  private static void check(Path file, String field, String saved, String now) throws CheckpointException {
    if (!saved.equals(now)) {
      throw new CheckpointException(file + ": field '" + field + "' is " + saved + " but this run has " + now
          + "; resume with the settings of the original run");
    }
  }

  private static void checkIfSaved(Path file, JsonNode json, String field, String now) throws CheckpointException {
    if (json.has(field)) {
      check(file, field, json.path(field).asText(), now);
    }
  }

  /**
   * A saved step, optimiser buffers and best evaluation.
   *
   * @param step the step the checkpoint was written at
   * @param buffers the optimiser's buffers
   * @param best the best evaluation so far, or null when none
   */
  public record Saved(long step, Map<String, Tensor> buffers, Best best) {}
}
