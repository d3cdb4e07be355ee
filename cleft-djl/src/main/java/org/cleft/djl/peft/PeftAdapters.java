package org.cleft.djl.peft;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.checkpoint.CleftCheckpoint;
import org.cleft.api.checkpoint.Gpt2Config;
import org.cleft.api.checkpoint.Ia3Config;
import org.cleft.api.checkpoint.LoraConfig;
import org.cleft.api.checkpoint.PrefixTuningConfig;
import org.cleft.api.safetensors.SafetensorsException;
import org.cleft.api.safetensors.SafetensorsFile;
import org.cleft.djl.nn.Parameters;

/** Loads a peft adapter folder for a GPT-2 tower, checking every tensor against the model. */
public final class PeftAdapters {
  private PeftAdapters() {}

  /**
   * {@return the linear modules of a GPT-2 with their (in, out) widths, keyed by module name
   * ({@code h.0.attn.c_attn}, …)}
   *
   * @param c the GPT-2 config
   */
  public static Map<String, int[]> gpt2Modules(Gpt2Config c) {
    Map<String, int[]> out = new LinkedHashMap<>();
    for (int i = 0; i < c.nLayer(); i++) {
      out.put("h." + i + ".attn.c_attn", new int[] {c.nEmbd(), 3 * c.nEmbd()});
      out.put("h." + i + ".attn.c_proj", new int[] {c.nEmbd(), c.nEmbd()});
      out.put("h." + i + ".mlp.c_fc", new int[] {c.nEmbd(), c.nInner()});
      out.put("h." + i + ".mlp.c_proj", new int[] {c.nInner(), c.nEmbd()});
    }
    return out;
  }

  /**
   * Loads an adapter for a GPT-2 tower.
   *
   * @param manager owns the loaded arrays
   * @param adapter the adapter folder of the checkpoint
   * @param model the config of the GPT-2 it adapts
   * @return the adapter
   * @throws CheckpointException naming the adapter file and tensor when something does not fit
   */
  public static TextAdapter load(NDManager manager, CleftCheckpoint.Adapter adapter, Gpt2Config model)
      throws CheckpointException {
    Path file = adapter.weights();
    try (SafetensorsFile source = SafetensorsFile.open(file)) {
      Parameters p = Parameters.load(manager, source, n -> true, null);
      if (adapter.config() instanceof LoraConfig c) {
        return lora(c, p, model, file);
      } else if (adapter.config() instanceof Ia3Config c) {
        return ia3(c, p, model, file);
      }
      return prefix((PrefixTuningConfig) adapter.config(), p, model, file);
    } catch (SafetensorsException e) {
      throw new CheckpointException(e.getMessage(), e);
    }
  }

  private static LoraAdapter lora(LoraConfig c, Parameters p, Gpt2Config model, Path file)
      throws CheckpointException {
    if (c.useDora()) {
      throw new CheckpointException(file.getParent().resolve("adapter_config.json")
          + ": use_dora is true; DoRA adapters are not supported by the djl backend");
    }
    Map<String, int[]> known = gpt2Modules(model);
    Map<String, LoraAdapter.Module> modules = new LinkedHashMap<>();
    for (String name : p.names()) {
      String module = PeftNames.module(name, ".lora_A.weight");
      if (module == null) {
        if (PeftNames.module(name, ".lora_B.weight") == null) {
          throw new CheckpointException(file + ": tensor '" + name + "' is not a LoRA A/B weight "
              + "(bias='" + c.bias() + "' and modules_to_save are not supported)");
        }
        continue;
      }
      int[] io = known.get(module);
      if (io == null) {
        throw new CheckpointException(file + ": tensor '" + name + "' targets module '" + module
            + "', which this GPT-2 does not have (known: " + known.keySet() + ")");
      }
      int r = c.rankFor(module);
      NDArray a = p.require(name, r, io[0]);
      NDArray b = p.require(name.replace(".lora_A.weight", ".lora_B.weight"), io[1], r);
      modules.put(module, new LoraAdapter.Module(a, b, c.scaling(module)));
    }
    if (modules.isEmpty()) {
      throw new CheckpointException(file + ": no LoRA weights found (expected tensors named '…lora_A.weight')");
    }
    return new LoraAdapter(c, modules);
  }

  private static Ia3Adapter ia3(Ia3Config c, Parameters p, Gpt2Config model, Path file)
      throws CheckpointException {
    Map<String, int[]> known = gpt2Modules(model);
    Map<String, Ia3Adapter.Module> modules = new LinkedHashMap<>();
    for (String name : p.names()) {
      String module = PeftNames.module(name, ".ia3_l");
      if (module == null) {
        throw new CheckpointException(file + ": tensor '" + name + "' is not an IA3 vector ('…ia3_l')");
      }
      int[] io = known.get(module);
      if (io == null) {
        throw new CheckpointException(file + ": tensor '" + name + "' targets module '" + module
            + "', which this GPT-2 does not have");
      }
      boolean ff = c.isFeedforward(module);
      NDArray v = ff ? p.require(name, 1, io[0]) : p.require(name, io[1], 1);
      modules.put(module, new Ia3Adapter.Module(v, ff));
    }
    return new Ia3Adapter(c, modules);
  }

  private static PrefixAdapter prefix(PrefixTuningConfig c, Parameters p, Gpt2Config model, Path file)
      throws CheckpointException {
    if (c.numLayers() != 0 && c.numLayers() != model.nLayer()) {
      throw new CheckpointException(file.getParent().resolve("adapter_config.json") + ": num_layers "
          + c.numLayers() + " does not match the model's n_layer " + model.nLayer());
    }
    NDArray e = p.require("prompt_embeddings", c.numVirtualTokens(), 2L * model.nLayer() * model.nEmbd());
    return new PrefixAdapter(c, e, model.nLayer(), model.nHead(), model.headDim());
  }
}
