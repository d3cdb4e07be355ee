package org.cleft.onnx.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.checkpoint.CleftCheckpoint;
import org.cleft.api.checkpoint.CleftManifest;
import org.cleft.api.safetensors.SafetensorsWriter;
import org.cleft.api.safetensors.Tensor;

/**
 * Copies a checkpoint's learned class embeddings (CLEFT stage 2: the text tower's output for each
 * class with the learned context, already projected and normalised) to {@value #FILE}, so that an
 * application can classify images with the image encoder alone: {@code logits = exp(logit_scale) *
 * image_embeds @ class_embeds^T}.
 */
final class ClassEmbeddings {
  /** The output file name. */
  static final String FILE = "class_embeds.safetensors";

  private ClassEmbeddings() {}

  /**
   * Writes {@value #FILE} (tensors {@code class_embeds} [classes, dim] and {@code logit_scale} [1];
   * metadata {@code class_names} as a JSON array and {@code source}) when the manifest names a prompt file.
   *
   * @param written the list the file is added to
   * @return the number of classes copied, 0 when the checkpoint has no prompt
   * @throws CheckpointException when the prompt file lacks {@code class_embeds}, its width is not {@code dim}, or
   *     its row count differs from the manifest's class names
   */
  static int copy(CleftCheckpoint ckpt, CheckpointTensors heads, int dim, float logitScale, Path outputDir,
      List<Path> written) throws IOException {
    if (ckpt.promptFile().isEmpty()) {
      return 0;
    }
    CleftManifest.Prompt prompt = ckpt.manifest().prompt();
    try (CheckpointTensors file = CheckpointTensors.file(ckpt.promptFile().get())) {
      long[] shape = file.shape("class_embeds");
      if (shape.length != 2 || shape[1] != dim) {
        throw new CheckpointException(file.path() + ": tensor 'class_embeds' has shape "
            + java.util.Arrays.toString(shape) + ", expected [classes, " + dim + "]");
      }
      int classes = (int) shape[0];
      if (!prompt.classNames().isEmpty() && prompt.classNames().size() != classes) {
        throw new CheckpointException(ckpt.directory().resolve(CleftCheckpoint.MANIFEST) + ": prompt.class_names has "
            + prompt.classNames().size() + " names but " + file.path() + " holds " + classes + " class embeddings");
      }
      Map<String, Tensor> tensors = new LinkedHashMap<>();
      tensors.put("class_embeds", Tensor.ofFloats(shape, file.require("class_embeds", shape).read()));
      tensors.put("logit_scale", Tensor.ofFloats(new long[] {1}, new float[] {logitScale}));
      Map<String, String> meta = new LinkedHashMap<>();
      meta.put("class_names", json(prompt.classNames()));
      meta.put("source", ckpt.promptFile().get().toAbsolutePath().normalize().toString());
      Path out = outputDir.resolve(FILE);
      SafetensorsWriter.write(out, tensors, meta);
      written.add(out);
      return classes;
    }
  }

  private static String json(List<String> names) {
    try {
      return new ObjectMapper().writeValueAsString(names);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write class names as JSON", e);
    }
  }
}
