package org.cleft.model.peft;

import java.util.List;
import java.util.Map;
import org.cleft.model.Linear;
import org.cleft.model.Ops;

/**
 * A peft adapter as a tower runs it: a hook around each linear module (LoRA, IA3 unmerged) and, for prefix tuning,
 * learned keys and values in front of every layer's own. {@link #none()} is the plain tower, and what is left after a
 * LoRA or IA3 adapter was merged into the weights.
 *
 * @param <T> the engine's tensor handle
 */
public interface AdapterHook<T> {

  /**
   * {@return the hook of no adapter}
   *
   * @param <T> the engine's tensor handle
   */
  static <T> AdapterHook<T> none() {
    return Map::of;
  }

  /**
   * {@return module {@code module} computed on {@code x} with the adapter applied}
   *
   * @param ops the engine's ops
   * @param module the module's dotted name ({@code h.0.attn.c_attn})
   * @param x its input
   * @param base the frozen layer
   */
  default T linear(Ops<T> ops, String module, T x, Linear<T> base) {
    return ops.linear(x, base);
  }

  /** {@return number of virtual tokens in front of every layer's keys and values (prefix tuning), else 0} */
  default int prefixLength() {
    return 0;
  }

  /**
   * {@return every layer's learned keys and values for a batch: key of layer 0, value of layer 0, key of layer 1,
   * ..., each [batch, heads, prefix, head dim]; only called when {@link #prefixLength()} is positive}
   *
   * @param ops the engine's ops
   * @param like a tensor whose first axis is the batch
   */
  default List<T> prefix(Ops<T> ops, T like) {
    throw new UnsupportedOperationException("this adapter has no prefix");
  }

  /** {@return the adapter's tensors under their peft runtime names ({@code base_model.model.…default.weight})} */
  Map<String, T> parameters();
}
