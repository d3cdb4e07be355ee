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
 */
public record BackendOptions(Device device, Precision precision, Map<String, String> extra) {

  /**
   * Validates and copies.
   *
   * @param device where to run
   * @param precision floating-point precision
   * @param extra backend-specific settings, validated by the backend (the one escape hatch for options)
   */
  public BackendOptions {
    if (device == null) {
      throw new IllegalArgumentException("BackendOptions.device must not be null");
    }
    if (precision == null) {
      throw new IllegalArgumentException("BackendOptions.precision must not be null");
    }
    extra = Map.copyOf(extra == null ? Map.of() : extra);
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
    return new BackendOptions(newDevice, precision, extra);
  }

  /**
   * {@return these options with another precision}
   *
   * @param newPrecision the precision to use
   */
  public BackendOptions withPrecision(Precision newPrecision) {
    return new BackendOptions(device, newPrecision, extra);
  }
}
