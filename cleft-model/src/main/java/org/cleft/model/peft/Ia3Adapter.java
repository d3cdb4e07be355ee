package org.cleft.model.peft;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.checkpoint.Ia3Config;
import org.cleft.api.safetensors.SafetensorsException;
import org.cleft.api.safetensors.TensorSource;
import org.cleft.model.Linear;
import org.cleft.model.Ops;
import org.cleft.model.ValuesChange;
import org.cleft.model.Weights;

/**
 * peft IA3: a learned vector scales the output of an attention module ({@code ia3_l} [out, 1]) or the input of a
 * feed-forward module ([1, in]). Folded, the vector scales the weight's output columns and the bias, or its input
 * rows.
 */
public final class Ia3Adapter extends PeftAdapter {
  private final Ia3Config config;
  private final Map<String, Module> modules;

  private record Module(AdaptableModule linear, String vector, boolean feedforward) {}

  private Ia3Adapter(Path folder, Path file, Ia3Config config, Map<String, Module> modules) {
    super(folder, file);
    this.config = config;
    this.modules = Map.copyOf(modules);
  }

  static Ia3Adapter read(Path folder, Ia3Config c, AdaptableTower tower, TensorSource t)
      throws CheckpointException, SafetensorsException {
    Path file = t.path();
    Map<String, Module> modules = new LinkedHashMap<>();
    for (String name : t.names()) {
      String module = module(name, ".ia3_l", tower);
      if (module == null) {
        throw new CheckpointException(file + ": tensor '" + name + "' is not an IA3 vector ('...ia3_l')");
      }
      AdaptableModule m = known(file, tower, module, name);
      boolean ff = c.isFeedforward(module);
      if (ff) {
        checkShape(file, t, name, 1, m.in());
      } else {
        checkShape(file, t, name, m.out(), 1);
      }
      modules.put(module, new Module(m, name, ff));
    }
    return new Ia3Adapter(folder, file, c, modules);
  }

  @Override
  public String peftType() {
    return "IA3";
  }

  @Override
  public Deployment deployment() {
    return Deployment.FOLDED;
  }

  /** {@return the adapter's config} */
  public Ia3Config config() {
    return config;
  }

  @Override
  public <T> AdapterHook<T> unmerged(Weights<T> w) throws CheckpointException {
    Map<String, T> vectors = new LinkedHashMap<>();
    for (Map.Entry<String, Module> e : modules.entrySet()) {
      Module m = e.getValue();
      vectors.put(e.getKey(), w.tensor(m.vector(), m.feedforward() ? new long[] {1, m.linear().in()}
          : new long[] {m.linear().out(), 1}));
    }
    Map<String, T> parameters = new LinkedHashMap<>();
    modules.keySet().stream().sorted().forEach(k -> parameters.put(runtimeName(k, "ia3_l", false), vectors.get(k)));
    return new AdapterHook<>() {
      @Override
      public T linear(Ops<T> ops, String module, T x, Linear<T> base) {
        T v = vectors.get(module);
        if (v == null) {
          return ops.linear(x, base);
        }
        T scale = ops.reshape(v, -1);
        return modules.get(module).feedforward() ? ops.linear(ops.mul(x, scale), base)
            : ops.mul(ops.linear(x, base), scale);
      }

      @Override
      public Map<String, T> parameters() {
        return parameters;
      }
    };
  }

  @Override
  public <T> Weights<T> mergedInto(Weights<T> towerWeights, TensorSource values) {
    Map<String, ValuesChange> weights = new LinkedHashMap<>();
    Map<String, ValuesChange> biases = new LinkedHashMap<>();
    modules.forEach((name, m) -> {
      AdaptableModule l = m.linear();
      if (m.feedforward()) {
        weights.put(name, w -> scale(w, values.floats(m.vector()), l, true));
      } else {
        weights.put(name, w -> scale(w, values.floats(m.vector()), l, false));
        biases.put(name, b -> {
          float[] v = values.floats(m.vector());
          for (int o = 0; o < b.length; o++) {
            b[o] *= v[o];
          }
        });
      }
    });
    return new AdaptedWeights<>(towerWeights, weights, biases);
  }

  /** Scales a stored weight's input rows ({@code byInput}) or output columns by the vector. */
  private static void scale(float[] w, float[] v, AdaptableModule l, boolean byInput) {
    int in = l.in();
    int out = l.out();
    for (int i = 0; i < in; i++) {
      for (int o = 0; o < out; o++) {
        w[l.inputMajor() ? i * out + o : o * in + i] *= v[byInput ? i : o];
      }
    }
  }
}
