package org.cleft.api;

import java.util.Locale;

/**
 * Where a backend runs: the CPU, one CUDA device, or AUTO (CUDA device 0 when it can be used,
 * else the CPU).
 *
 * @param kind CPU, CUDA or AUTO
 * @param index the CUDA device index (0 for CPU and AUTO)
 */
public record Device(Kind kind, int index) {

  /** The kinds of device. */
  public enum Kind {
    /** The host CPU. */
    CPU,
    /** A CUDA GPU, chosen by index. */
    CUDA,
    /** CUDA device 0 if the backend can use it, otherwise the CPU. */
    AUTO
  }

  /**
   * Validates the index.
   *
   * @param kind CPU, CUDA or AUTO
   * @param index the CUDA device index (0 for CPU and AUTO)
   */
  public Device {
    if (kind == null) {
      throw new IllegalArgumentException("Device kind must not be null");
    }
    if (index < 0 || (kind != Kind.CUDA && index != 0)) {
      throw new IllegalArgumentException("Device index " + index + " is invalid for " + kind);
    }
  }

  /** {@return the CPU} */
  public static Device cpu() {
    return new Device(Kind.CPU, 0);
  }

  /**
   * {@return CUDA device {@code index}}
   *
   * @param index the CUDA device index, from 0
   */
  public static Device cuda(int index) {
    return new Device(Kind.CUDA, index);
  }

  /** {@return CUDA if available, else CPU} */
  public static Device auto() {
    return new Device(Kind.AUTO, 0);
  }

  /**
   * Parses {@code cpu}, {@code auto}, {@code cuda} or {@code cuda:N} (also {@code gpu}, {@code gpu:N}).
   *
   * @param text the device text
   * @return the device
   * @throws IllegalArgumentException naming the text and the accepted forms
   */
  public static Device parse(String text) {
    String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    if (t.equals("cpu")) {
      return cpu();
    }
    if (t.equals("auto")) {
      return auto();
    }
    if (t.equals("cuda") || t.equals("gpu")) {
      return cuda(0);
    }
    if (t.startsWith("cuda:") || t.startsWith("gpu:")) {
      try {
        return cuda(Integer.parseInt(t.substring(t.indexOf(':') + 1)));
      } catch (NumberFormatException e) {
        // fall through to the error below
      }
    }
    throw new IllegalArgumentException("device '" + text + "': expected cpu, auto, cuda or cuda:N");
  }

  @Override
  public String toString() {
    return kind == Kind.CUDA ? "cuda:" + index : kind.name().toLowerCase(Locale.ROOT);
  }
}
