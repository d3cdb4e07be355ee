package org.cleft.model;

import java.io.IOException;

/**
 * Changes a stored tensor's float32 values in place before the engine gets them (a merged adapter: LoRA's delta
 * added, IA3's vector folded in). Run when the engine reads the tensor, which on the ONNX exporter is when the model
 * file is written, so that one tensor at a time sits on the heap.
 */
@FunctionalInterface
public interface ValuesChange {

  /**
   * Changes {@code values}, row-major in the tensor's stored layout, in place.
   *
   * @param values the values
   * @throws IOException when a tensor the change needs cannot be read
   */
  void apply(float[] values) throws IOException;

  /**
   * {@return this change, then {@code next}; either may be null (no change)}
   *
   * @param first the first change, or null
   * @param next the second change, or null
   */
  static ValuesChange andThen(ValuesChange first, ValuesChange next) {
    if (first == null) {
      return next;
    }
    if (next == null) {
      return first;
    }
    return v -> {
      first.apply(v);
      next.apply(v);
    };
  }
}
