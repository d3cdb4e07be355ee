package org.cleft.api.train;

/**
 * The two CLEFT training stages, by the id every engine writes into {@code trainer/state.json} and the checkpoint's
 * provenance (so that a run started on one engine resumes, and reads, on another).
 */
public enum TrainingStage {
  /** Stage 1: contrastive pre-training on image-report pairs. */
  CONTRASTIVE("contrastive"),
  /** Stage 2: context prompt fine-tuning with both towers frozen. */
  PROMPT("prompt");

  /** The file of a prompt-tuned checkpoint holding {@code ctx} and {@code class_embeds}. */
  public static final String PROMPT_FILE = "prompt.safetensors";

  private final String id;

  TrainingStage(String id) {
    this.id = id;
  }

  /** {@return the stage's id in state and provenance files} */
  public String id() {
    return id;
  }
}
