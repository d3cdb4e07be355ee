package org.cleft.djl.peft;

import ai.djl.ndarray.NDArray;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A peft adapter as the GPT-2 tower sees it: a hook around each linear module (LoRA, IA3) and,
 * for prefix tuning, extra past keys and values per layer.
 */
public interface TextAdapter {

  /** {@return the peft type ({@code LORA}, {@code IA3}, {@code PREFIX_TUNING})} */
  String peftType();

  /**
   * Computes module {@code module} (e.g. {@code h.0.attn.c_attn}) on {@code x}, where {@code base}
   * computes the frozen layer.
   *
   * @param module the dotted module name
   * @param x the module's input
   * @param base computes the frozen layer on an input
   * @return the module's output with the adapter applied
   */
  default NDArray apply(String module, NDArray x, UnaryOperator<NDArray> base) {
    return base.apply(x);
  }

  /** {@return number of virtual tokens in the keys and values (prefix tuning), 0 otherwise} */
  default int prefixLength() {
    return 0;
  }

  /**
   * {@return the past keys and values of layer {@code layer} for a batch, each [batch, heads, prefix, head
   * dim]; only called when {@link #prefixLength()} is positive}
   *
   * @param layer the transformer block index
   * @param batch the batch size
   */
  default NDArray[] prefix(int layer, int batch) {
    throw new UnsupportedOperationException(peftType() + " has no prefix");
  }

  /**
   * {@return the adapter's parameters under their peft runtime names
   * ({@code base_model.model.…default.weight})}
   */
  Map<String, NDArray> parameters();

  /**
   * Switches between training (dropout on) and inference.
   *
   * @param training true for training, false for inference
   */
  default void setTraining(boolean training) {}
}
