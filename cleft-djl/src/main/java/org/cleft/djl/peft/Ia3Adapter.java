package org.cleft.djl.peft;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.cleft.api.checkpoint.Ia3Config;

/**
 * peft IA3: a learned vector scales the output of an attention module, or the input of a
 * feed-forward module.
 */
public final class Ia3Adapter implements TextAdapter {
  private final Ia3Config config;
  private final Map<String, Module> modules;

  /** One wrapped module: the saved vector (shape [out, 1] or [1, in]) and whether it is feed-forward. */
  record Module(NDArray vector, boolean feedforward) {}

  Ia3Adapter(Ia3Config config, Map<String, Module> modules) {
    this.config = config;
    this.modules = Map.copyOf(modules);
  }

  @Override
  public String peftType() {
    return "IA3";
  }

  /** {@return the adapter config} */
  public Ia3Config config() {
    return config;
  }

  @Override
  public NDArray apply(String module, NDArray x, UnaryOperator<NDArray> base) {
    Module m = modules.get(module);
    if (m == null) {
      return base.apply(x);
    }
    NDArray scale = m.vector().flatten();
    return m.feedforward() ? base.apply(x.mul(scale)) : base.apply(x).mul(scale);
  }

  @Override
  public Map<String, NDArray> parameters() {
    Map<String, NDArray> out = new LinkedHashMap<>();
    modules.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(e -> out.put(PeftNames.runtime(e.getKey(), "ia3_l", false), e.getValue().vector()));
    return out;
  }
}
