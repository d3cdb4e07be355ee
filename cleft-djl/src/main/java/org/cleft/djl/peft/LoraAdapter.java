package org.cleft.djl.peft;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.cleft.api.checkpoint.LoraConfig;
import org.cleft.djl.nn.NdOps;

/**
 * peft LoRA, applied unmerged: {@code y = base(x) + scaling * B(A(dropout(x)))}. Dropout (when
 * configured) acts only in training mode.
 */
public final class LoraAdapter implements TextAdapter {
  private final LoraConfig config;
  private final Map<String, Module> modules;
  private boolean training;

  /** One wrapped module: A [r, in], B [out, r]. */
  record Module(NDArray a, NDArray b, double scaling) {}

  LoraAdapter(LoraConfig config, Map<String, Module> modules) {
    this.config = config;
    this.modules = Map.copyOf(modules);
  }

  @Override
  public String peftType() {
    return "LORA";
  }

  /** {@return the adapter config} */
  public LoraConfig config() {
    return config;
  }

  @Override
  public NDArray apply(String module, NDArray x, UnaryOperator<NDArray> base) {
    Module m = modules.get(module);
    NDArray y = base.apply(x);
    if (m == null) {
      return y;
    }
    NDArray in = x;
    if (training && config.loraDropout() > 0) {
      in = ai.djl.nn.norm.Dropout.dropout(x, (float) config.loraDropout(), true).singletonOrThrow();
    }
    NDArray delta = NdOps.linear(NdOps.linear(in, m.a(), null), m.b(), null);
    return y.add(NdOps.mul(delta, m.scaling()));
  }

  /**
   * {@return the weight delta of a module in the layout of its base weight: {@code scaling * (B A)^T} for
   * GPT-2's Conv1D ([in, out]), or {@code scaling * B A} for an nn.Linear ([out, in])}
   *
   * @param module the dotted module name
   * @param conv1d whether the base weight is a GPT-2 Conv1D ([in, out])
   */
  public NDArray delta(String module, boolean conv1d) {
    Module m = modules.get(module);
    NDArray d = m.b().matMul(m.a()).mul((float) m.scaling());
    return conv1d ? d.transpose() : d;
  }

  /**
   * {@return a copy of a GPT-2's parameters with this adapter merged into the wrapped weights
   * ({@code W + scaling * (B A)^T}, GPT-2 stores Conv1D weights as [in, out]); the result needs no adapter at
   * run time and gives the same outputs up to float rounding}
   *
   * @param gpt2Parameters the GPT-2 parameters under their HF names (not changed)
   */
  public java.util.Map<String, NDArray> mergeInto(java.util.Map<String, NDArray> gpt2Parameters) {
    java.util.Map<String, NDArray> out = new LinkedHashMap<>(gpt2Parameters);
    for (String module : modules.keySet()) {
      String key = module + ".weight";
      NDArray base = gpt2Parameters.get(key);
      if (base == null) {
        throw new IllegalArgumentException("LoRA module '" + module + "' has no base weight '" + key + "'");
      }
      NDArray merged = base.add(delta(module, true));
      merged.setName(key);
      out.put(key, merged);
    }
    return out;
  }

  /** {@return the modules this adapter wraps} */
  public java.util.Set<String> modules() {
    return modules.keySet();
  }

  @Override
  public Map<String, NDArray> parameters() {
    Map<String, NDArray> out = new LinkedHashMap<>();
    modules.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
      out.put(PeftNames.runtime(e.getKey(), "lora_A", true), e.getValue().a());
      out.put(PeftNames.runtime(e.getKey(), "lora_B", true), e.getValue().b());
    });
    return out;
  }

  @Override
  public void setTraining(boolean training) {
    this.training = training;
  }
}
