package org.cleft.onnx.export;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link OnnxExporter#export} wrote.
 *
 * @param outputDir the folder written to
 * @param files every file written, in order (models, external data, class embeddings, {@code export.json})
 * @param imageSize the image encoder's input height and width in pixels
 * @param opset the ONNX opset of both models
 * @param adapter the peft type of the text adapter exported ({@code LORA}, {@code IA3}, {@code PREFIX_TUNING}),
 *     or null for none
 * @param adapterHandling how it entered the graph: {@code none}, {@code merged}, {@code folded} or {@code in-graph}
 * @param classes number of learned class embeddings copied (0 when the checkpoint has no prompt)
 */
public record ExportResult(Path outputDir, List<Path> files, int imageSize, int opset, String adapter,
    String adapterHandling, int classes) {

  /**
   * Copies the file list.
   *
   * @param outputDir the folder written to
   * @param files every file written, in order (models, external data, class embeddings, {@code export.json})
   * @param imageSize the image encoder's input height and width in pixels
   * @param opset the ONNX opset of both models
   * @param adapter the peft type of the text adapter exported ({@code LORA}, {@code IA3},
   *     {@code PREFIX_TUNING}), or null for none
   * @param adapterHandling how it entered the graph: {@code none}, {@code merged}, {@code folded} or
   *     {@code in-graph}
   * @param classes number of learned class embeddings copied (0 when the checkpoint has no prompt)
   */
  public ExportResult {
    files = List.copyOf(files);
  }
}
