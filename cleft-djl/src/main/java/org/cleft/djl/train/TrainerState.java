package org.cleft.djl.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cleft.api.TrainingConfig;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.safetensors.SafetensorsException;
import org.cleft.api.safetensors.SafetensorsFile;
import org.cleft.api.safetensors.Tensor;

/**
 * What a checkpoint needs to resume training: {@code trainer/state.json} (step, optimiser, the
 * settings that must not change) and {@code trainer/optimizer.safetensors} (the optimiser buffers).
 */
final class TrainerState {
  static final String FOLDER = "trainer";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private final long step;
  private final TrainingConfig config;
  private final Optimizer optimizer;

  TrainerState(long step, TrainingConfig config, Optimizer optimizer) {
    this.step = step;
    this.config = config;
    this.optimizer = optimizer;
  }

  /** The step the state was taken at. */
  long step() {
    return step;
  }

  /** Writes the state into a checkpoint being written. */
  void write(CheckpointWriter writer, String stage) throws IOException {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("stage", stage);
    json.put("step", step);
    json.put("optimizer", config.optimizer().name());
    json.put("gradient_accumulation", config.gradientAccumulation());
    json.put("seed", config.seed());
    json.put("steps", config.steps());
    json.put("learning_rate", config.learningRate());
    writer.writeString(FOLDER + "/state.json", JSON.writeValueAsString(json));
    writer.writeTensors(FOLDER + "/optimizer.safetensors", optimizer.state(), Map.of("step", Long.toString(step)));
  }

  /**
   * Reads a saved state and checks it belongs to the same kind of run.
   *
   * @return the step the checkpoint was written at and the optimiser buffers
   * @throws CheckpointException when the files are missing or the run differs in stage, optimiser,
   *     accumulation or seed (a resumed run would then not continue the same run)
   */
  static Saved read(Path checkpoint, String stage, TrainingConfig config) throws CheckpointException {
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
      long step = json.path("step").asLong();
      Map<String, Tensor> buffers = new LinkedHashMap<>();
      try (SafetensorsFile f = SafetensorsFile.open(dir.resolve("optimizer.safetensors"))) {
        for (String name : f.names()) {
          buffers.put(name, Tensor.from(f, name));
        }
      }
      return new Saved(step, buffers);
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

  /** A saved step and optimiser buffers. */
  record Saved(long step, Map<String, Tensor> buffers) {}
}
