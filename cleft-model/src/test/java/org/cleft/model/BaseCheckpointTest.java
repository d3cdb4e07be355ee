package org.cleft.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.checkpoint.CleftCheckpoint;
import org.cleft.api.safetensors.SafetensorsFile;
import org.cleft.model.peft.PeftAdapter;
import org.cleft.testkit.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A base checkpoint's new adapter has exactly the tensors peft made for the tiny fixture (names, shapes, targets),
 * now that its modules come from the tower family rather than a hard-wired GPT-2.
 */
class BaseCheckpointTest {
  @TempDir Path tmp;

  @Test
  void loraHasPeftsTensorsForTheFamilysDefaultTargets() throws Exception {
    Path out = assemble(BaseCheckpoint.Adapter.LORA);
    assertThat(shapes(out.resolve("lora"))).isEqualTo(shapes(Fixtures.tiny().resolve("lora")));
    JsonNode config = new ObjectMapper().readTree(out.resolve("lora/adapter_config.json").toFile());
    assertThat(config.get("target_modules").toString()).isEqualTo("[\"c_attn\"]");
    assertThat(config.get("fan_in_fan_out").asBoolean()).isTrue();
    try (SafetensorsFile b = SafetensorsFile.open(out.resolve("lora/adapter_model.safetensors"))) {
      // B starts at zero: the adapted model starts equal to the base
      assertThat(b.floats("base_model.model.h.0.attn.c_attn.lora_B.weight")).containsOnly(0f);
    }
    readsBack(out);
  }

  @Test
  void ia3HasPeftsVectorsForTheFamilysDefaultTargets() throws Exception {
    Path out = assemble(BaseCheckpoint.Adapter.IA3);
    assertThat(shapes(out.resolve("ia3"))).isEqualTo(shapes(Fixtures.tiny().resolve("ia3")));
    JsonNode config = new ObjectMapper().readTree(out.resolve("ia3/adapter_config.json").toFile());
    assertThat(config.get("feedforward_modules").toString()).isEqualTo("[\"mlp.c_proj\"]");
    readsBack(out);
  }

  @Test
  void aTowerOfTheWrongKindIsNamed() {
    Path tiny = Fixtures.tiny();
    assertThatThrownBy(() -> BaseCheckpoint.assemble(tmp.resolve("x"), tiny.resolve("vision"), tiny.resolve("vision"),
        BaseCheckpoint.Adapter.LORA, 8, 32, 16, 0, 1)).isInstanceOf(CheckpointException.class)
        .hasMessageContaining("vision/config.json").hasMessageContaining("is not a text tower");
  }

  private Path assemble(BaseCheckpoint.Adapter adapter) throws Exception {
    Path tiny = Fixtures.tiny();
    return BaseCheckpoint.assemble(tmp.resolve(adapter.name()), tiny.resolve("text"), tiny.resolve("vision"), adapter,
        8, 32, 16, 0, 7);
  }

  /** The checkpoint opens and its adapter fits its tower. */
  private static void readsBack(Path out) throws Exception {
    CleftCheckpoint ckpt = CleftCheckpoint.open(out);
    CleftCheckpoint.Adapter adapter = ckpt.adapter().orElseThrow();
    try (SafetensorsFile f = SafetensorsFile.open(adapter.weights())) {
      PeftAdapter.read(adapter, TowerFamilies.text(ckpt.textConfig()).adaptable(ckpt.textConfig()), f);
    }
    assertThat(Files.isRegularFile(out.resolve("heads.safetensors"))).isTrue();
  }

  private static Map<String, String> shapes(Path adapterDir) throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (SafetensorsFile f = SafetensorsFile.open(adapterDir.resolve("adapter_model.safetensors"))) {
      for (String n : f.names()) {
        out.put(n, Arrays.toString(f.info(n).shape()));
      }
    }
    return out;
  }
}
