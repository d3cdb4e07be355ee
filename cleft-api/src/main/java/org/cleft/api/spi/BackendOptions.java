package org.cleft.api.spi;

import java.util.Map;
import org.cleft.api.Device;
import org.cleft.api.Precision;

/**
 * How to create a backend.
 *
 * @param device where to run
 * @param precision floating-point precision
 * @param extra backend-specific settings, validated by the backend (the one escape hatch for options)
 * @param frozenWeights how the frozen weights are stored: those no training of this run updates (the text tower's
 *     base model under LoRA, IA3 or prefix tuning, an image tower trained with {@code FROZEN}, every tower when a
 *     model is loaded for inference). {@link Precision#FP32} (the default) keeps them in float32;
 *     {@link Precision#FP16} or {@link Precision#BF16} keep their matrices in 16 bits, halving the memory of a
 *     large tower, on the backends that compute with them (see {@code docs/backends.md#precision}); computation
 *     and trainable parameters stay at {@code precision}
 */
public record BackendOptions(Device device, Precision precision, Map<String, String> extra, Precision frozenWeights) {

  /**
   * Validates and copies.
   *
   * @param device where to run
   * @param precision floating-point precision
   * @param extra backend-specific settings, validated by the backend (the one escape hatch for options)
   * @param frozenWeights how frozen weights are stored
   */
  public BackendOptions {
    if (frozenWeights == null) {
      throw new IllegalArgumentException("BackendOptions.frozenWeights must not be null");
    }
    if (device == null) {
      throw new IllegalArgumentException("BackendOptions.device must not be null");
    }
    if (precision == null) {
      throw new IllegalArgumentException("BackendOptions.precision must not be null");
    }
    extra = Map.copyOf(extra == null ? Map.of() : extra);
  }

  /**
   * Options with frozen weights in float32.
   *
   * @param device where to run
   * @param precision floating-point precision
   * @param extra backend-specific settings, validated by the backend
   */
  public BackendOptions(Device device, Precision precision, Map<String, String> extra) {
    this(device, precision, extra, Precision.FP32);
  }

  /** {@return CPU, float32, nothing extra} */
  public static BackendOptions defaults() {
    return new BackendOptions(Device.cpu(), Precision.FP32, Map.of());
  }

  /**
   * {@return these options with another device}
   *
   * @param newDevice the device to use
   */
  public BackendOptions withDevice(Device newDevice) {
    return new BackendOptions(newDevice, precision, extra, frozenWeights);
  }

  /**
   * {@return these options with another precision}
   *
   * @param newPrecision the precision to use
   */
  public BackendOptions withPrecision(Precision newPrecision) {
    return new BackendOptions(device, newPrecision, extra, frozenWeights);
  }

  /**
   * {@return these options with frozen weights stored at another precision}
   *
   * @param storage {@link Precision#FP32}, {@link Precision#FP16} or {@link Precision#BF16}
   */
  public BackendOptions withFrozenWeights(Precision storage) {
    return new BackendOptions(device, precision, extra, storage);
  }
}
