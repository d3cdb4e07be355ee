package org.cleft.api.spi;

import java.util.Map;

/** No backend fits the request; the message lists every provider found and why each was rejected. */
public class NoSuitableBackendException extends IllegalStateException {
  private static final long serialVersionUID = 1L;
  private final transient Map<String, String> rejections;

  /**
   * Creates the exception.
   *
   * @param request what was asked for, in words
   * @param rejections provider name to the reason it was rejected, in discovery order
   */
  public NoSuitableBackendException(String request, Map<String, String> rejections) {
    super(message(request, rejections));
    this.rejections = Map.copyOf(rejections);
  }

  /** {@return provider name to the reason it was rejected} */
  public Map<String, String> rejections() {
    return rejections;
  }

  private static String message(String request, Map<String, String> rejections) {
    StringBuilder sb = new StringBuilder("no cleft backend for ").append(request).append(": ");
    if (rejections.isEmpty()) {
      sb.append("no provider found on the class path (add cleft-djl, cleft-onnx or cleft-tf as a dependency)");
    } else {
      sb.append(rejections.size()).append(" provider(s) found");
      rejections.forEach((name, why) -> sb.append("\n  - ").append(name).append(": ").append(why));
    }
    return sb.toString();
  }
}
