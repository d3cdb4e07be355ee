package org.cleft.data.synthetic;

import java.util.EnumSet;
import java.util.Random;
import java.util.Set;
import org.cleft.data.image.UInt8Image;

/**
 * Renders synthetic frontal chest X-rays: body, lungs with ribs, mediastinum, heart, hemidiaphragm
 * domes, the findings asked for, then a slight random pose (rotation, scale, shift), contrast and
 * brightness jitter and noise. Deterministic for a given seed. Thread-safe.
 */
public final class ChestXrayGenerator {
  private final int size;
  private final double findingProbability;

  /**
   * A generator of {@code size x size} images.
   *
   * @param size the side in pixels, at least 32 (224 for ViT-B/14)
   * @param findingProbability the chance of each finding in {@link #random(long)}, in [0, 1]
   */
  public ChestXrayGenerator(int size, double findingProbability) {
    if (size < 32) {
      throw new IllegalArgumentException("size must be at least 32, got " + size);
    }
    if (!(findingProbability >= 0 && findingProbability <= 1)) {
      throw new IllegalArgumentException("findingProbability must be in [0, 1], got " + findingProbability);
    }
    this.size = size;
    this.findingProbability = findingProbability;
  }

  /** A 224-pixel generator drawing each finding with probability 0.3. */
  public ChestXrayGenerator() {
    this(224, 0.3);
  }

  /**
   * A case with each finding drawn independently with the configured probability.
   *
   * @param seed the case's seed
   * @return the image and its findings
   */
  public SyntheticCase random(long seed) {
    Random r = new Random(mix(seed));
    Set<Finding> findings = EnumSet.noneOf(Finding.class);
    for (Finding f : Finding.values()) {
      if (r.nextDouble() < findingProbability) {
        findings.add(f);
      }
    }
    return render(findings, r);
  }

  /**
   * A case with exactly the given findings.
   *
   * @param findings the findings to draw (empty: no finding)
   * @param seed the case's seed (anatomy, pose, noise)
   * @return the image
   */
  public SyntheticCase generate(Set<Finding> findings, long seed) {
    return render(findings.isEmpty() ? EnumSet.noneOf(Finding.class) : EnumSet.copyOf(findings), new Random(mix(seed)));
  }

  /**
   * SplitMix64 finaliser: java.util.Random's first outputs for consecutive seeds are strongly
   * correlated, and cases are seeded consecutively.
   */
  private static long mix(long seed) {
    long z = seed + 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private SyntheticCase render(Set<Finding> findings, Random r) {
    Scene scene = new Scene(findings, r);
    double angle = Math.toRadians(3 * r.nextGaussian() / 1.5);
    double scale = 1 + 0.03 * r.nextGaussian();
    double dx = 0.02 * r.nextGaussian();
    double dy = 0.02 * r.nextGaussian();
    double contrast = 1 + 0.08 * r.nextGaussian();
    double brightness = 0.03 * r.nextGaussian();
    double noise = 0.015 + 0.015 * r.nextDouble();
    double cos = Math.cos(angle);
    double sin = Math.sin(angle);
    byte[] data = new byte[size * size];
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        double px = (x + 0.5) / size - 0.5 - dx;
        double py = (y + 0.5) / size - 0.5 - dy;
        double u = (cos * px + sin * py) / scale + 0.5;
        double v = (-sin * px + cos * py) / scale + 0.5;
        double d = scene.density(u, v);
        double g = (d - 0.4) * contrast + 0.4 + brightness + noise * r.nextGaussian();
        data[y * size + x] = (byte) Math.max(0, Math.min(255, Math.round(g * 255)));
      }
    }
    return new SyntheticCase(new UInt8Image(size, size, 1, data), findings, scene.heartHalfWidth(),
        scene.effusionRight(), scene.details());
  }
}
