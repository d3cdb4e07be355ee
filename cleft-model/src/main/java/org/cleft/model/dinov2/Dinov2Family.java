package org.cleft.model.dinov2;

import java.util.List;
import java.util.Map;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.checkpoint.Dinov2Config;
import org.cleft.api.checkpoint.VisionConfig;
import org.cleft.model.VisionFamily;
import org.cleft.model.VisionTower;
import org.cleft.model.Weights;

/** The DINOv2 family ({@code model_type} {@code dinov2} and {@code dinov2_with_registers}). */
public final class Dinov2Family implements VisionFamily {
  /** The family (also found by {@link java.util.ServiceLoader}). */
  public Dinov2Family() {}

  @Override
  public List<String> modelTypes() {
    return List.of("dinov2", "dinov2_with_registers");
  }

  @Override
  public String wrapperPrefix() {
    return Dinov2Tower.WRAPPER;
  }

  @Override
  public boolean isWeight(String tensor) {
    return Dinov2Tower.isWeight(tensor);
  }

  @Override
  public boolean isUnused(String parameter) {
    return Dinov2Tower.isUnused(parameter);
  }

  @Override
  public int blockOf(String parameter) {
    return Dinov2Tower.blockOf(parameter);
  }

  @Override
  public Map<String, Object> describe(VisionConfig config, int imageSize) {
    return Dinov2Tower.describe(dinov2(config), imageSize);
  }

  @Override
  public <T> VisionTower<T> tower(VisionConfig config, Weights<T> weights) throws CheckpointException {
    return new Dinov2Tower<>(dinov2(config), weights);
  }

  private static Dinov2Config dinov2(VisionConfig config) {
    if (!(config instanceof Dinov2Config d)) {
      throw new IllegalArgumentException("the DINOv2 family takes a Dinov2Config, not " + config.getClass().getName());
    }
    return d;
  }
}
