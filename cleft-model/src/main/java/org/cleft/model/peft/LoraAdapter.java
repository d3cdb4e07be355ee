package org.cleft.model.peft;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.checkpoint.LoraConfig;
import org.cleft.api.safetensors.SafetensorsException;
import org.cleft.api.safetensors.TensorSource;
import org.cleft.model.Linear;
import org.cleft.model.Ops;
import org.cleft.model.ValuesChange;
import org.cleft.model.Weights;

/**
 * peft LoRA: {@code y = base(x) + scaling * B(A(dropout(x)))} unmerged, with dropout only when the engine trains;
 * merged, {@code W + scaling * B A} in the base weight's stored layout (transposed for GPT-2's {@code Conv1D}, which
 * is what peft's {@code fan_in_fan_out} does).
 */
public final class LoraAdapter extends PeftAdapter {
  private final LoraConfig config;
  private final Map<String, Module> modules;

  /** One wrapped module: its tensors' saved names, A [r, in] and B [out, r]. */
  private record Module(AdaptableModule linear, String a, String b, int rank, double scaling) {}

  private LoraAdapter(Path folder, Path file, LoraConfig config, Map<String, Module> modules) {
    super(folder, file);
    this.config = config;
    this.modules = Map.copyOf(modules);
  }

  static LoraAdapter read(Path folder, LoraConfig c, AdaptableTower tower, TensorSource t)
      throws CheckpointException, SafetensorsException {
    Path file = t.path();
    if (c.useDora()) {
      throw new CheckpointException(folder.resolve("adapter_config.json")
          + ": use_dora is true; DoRA adapters are not supported (only plain LoRA)");
    }
    Map<String, Module> modules = new LinkedHashMap<>();
    for (String name : t.names()) {
      String module = module(name, ".lora_A.weight", tower);
      if (module == null) {
        if (module(name, ".lora_B.weight", tower) == null) {
          throw new CheckpointException(file + ": tensor '" + name + "' is not a LoRA A/B weight (bias='" + c.bias()
              + "' and modules_to_save are not supported)");
        }
        continue;
      }
      AdaptableModule m = known(file, tower, module, name);
      int r = c.rankFor(module);
      String b = name.substring(0, name.length() - ".lora_A.weight".length()) + ".lora_B.weight";
      checkShape(file, t, name, r, m.in());
      checkShape(file, t, b, m.out(), r);
      modules.put(module, new Module(m, name, b, r, c.scaling(module)));
    }
    if (modules.isEmpty()) {
      throw new CheckpointException(file + ": no LoRA weights found (expected tensors named '...lora_A.weight')");
    }
    return new LoraAdapter(folder, file, c, modules);
  }

  @Override
  public String peftType() {
    return "LORA";
  }

  @Override
  public Deployment deployment() {
    return Deployment.MERGED;
  }

  /** {@return the adapter's config} */
  public LoraConfig config() {
    return config;
  }

  @Override
  public <T> AdapterHook<T> unmerged(Weights<T> w) throws CheckpointException {
    Map<String, Linear<T>[]> layers = new LinkedHashMap<>();
    Map<String, T> parameters = new LinkedHashMap<>();
    for (Map.Entry<String, Module> e : modules.entrySet()) {
      Module m = e.getValue();
      Linear<T> a = w.linear(layer(m.a(), m.rank(), m.linear().in()));
      Linear<T> b = w.linear(layer(m.b(), m.linear().out(), m.rank()));
      @SuppressWarnings("unchecked")
      Linear<T>[] ab = new Linear[] {a, b};
      layers.put(e.getKey(), ab);
    }
    modules.keySet().stream().sorted().forEach(k -> {
      parameters.put(runtimeName(k, "lora_A", true), layers.get(k)[0].weight());
      parameters.put(runtimeName(k, "lora_B", true), layers.get(k)[1].weight());
    });
    double dropout = config.loraDropout();
    return new AdapterHook<>() {
      @Override
      public T linear(Ops<T> ops, String module, T x, Linear<T> base) {
        T y = ops.linear(x, base);
        Linear<T>[] ab = layers.get(module);
        if (ab == null) {
          return y;
        }
        T delta = ops.linear(ops.linear(ops.dropout(x, dropout), ab[0]), ab[1]);
        return ops.add(y, ops.scale(delta, modules.get(module).scaling()));
      }

      @Override
      public Map<String, T> parameters() {
        return parameters;
      }
    };
  }

  private static Weights.Layer layer(String tensor, long out, long in) {
    return new Weights.Layer(tensor.substring(0, tensor.length() - ".weight".length()), out, in, false,
        Weights.Bias.NONE, null, null);
  }

  @Override
  public <T> Weights<T> mergedInto(Weights<T> towerWeights, TensorSource values) {
    Map<String, ValuesChange> changes = new LinkedHashMap<>();
    modules.forEach((name, m) -> changes.put(name, w -> addDelta(w, values.floats(m.a()), values.floats(m.b()), m)));
    return new AdaptedWeights<>(towerWeights, changes, Map.of());
  }

  /** {@code W += scaling * B A}, accumulated in double, written in W's stored layout. */
  private static void addDelta(float[] w, float[] a, float[] b, Module m) {
    int in = m.linear().in();
    int out = m.linear().out();
    int r = m.rank();
    for (int i = 0; i < in; i++) {
      for (int o = 0; o < out; o++) {
        double s = 0;
        for (int k = 0; k < r; k++) {
          s += (double) b[o * r + k] * a[k * in + i];
        }
        w[m.linear().inputMajor() ? i * out + o : o * in + i] += (float) (m.scaling() * s);
      }
    }
  }
}
