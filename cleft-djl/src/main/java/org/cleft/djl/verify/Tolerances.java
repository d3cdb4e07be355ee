package org.cleft.djl.verify;

/**
 * The fixture's tolerances: 1e-4 absolute on forward tensors and losses, 1e-3 relative
 * (max |diff| / max |expected|) on gradients, 2e-5 absolute after the AdamW step.
 */
public final class Tolerances {
  /**
   * Below this, a gradient entry is float32 rounding noise: the loss is O(1) and the largest gradients
   * O(1e-2..1), so 1e-7 sits five orders under them and three above the noise seen (1e-11..1e-10).
   */
  public static final double GRADIENT_NOISE_FLOOR = 1e-7;
  private final double forward;
  private final double gradient;
  private final double afterStep;

  /**
   * Creates tolerances.
   *
   * @param forward allowed difference for forward-pass tensors
   * @param gradient allowed difference for gradients
   * @param afterStep allowed difference for parameters after an optimiser step
   */
  public Tolerances(double forward, double gradient, double afterStep) {
    this.forward = forward;
    this.gradient = gradient;
    this.afterStep = afterStep;
  }

  /** {@return the reference fixture's tolerances} */
  public static Tolerances reference() {
    return new Tolerances(1e-4, 1e-3, 2e-5);
  }

  /**
   * {@return the allowed difference for a tensor name}
   *
   * @param name the tensor name
   */
  public double tolerance(String name) {
    if (isGradient(name)) {
      return gradient;
    }
    return name.startsWith("train.after_step.") ? afterStep : forward;
  }

  /**
   * {@return whether the tolerance of a tensor is relative to its largest expected magnitude}
   *
   * @param name the tensor name
   */
  public boolean relative(String name) {
    return isGradient(name);
  }

  private static boolean isGradient(String name) {
    return name.startsWith("train.grad.") || name.equals("prompt.grad_ctx");
  }
}
