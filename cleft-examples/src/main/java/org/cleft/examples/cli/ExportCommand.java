package org.cleft.examples.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.cleft.onnx.export.ExportResult;
import org.cleft.onnx.export.OnnxExporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code cleft export}: writes a checkpoint's image and text towers as ONNX models (pure Java, no
 * Python), plus the learned class embeddings and an {@code export.json} with the provenance.
 */
@Command(name = "export", mixinStandardHelpOptions = true, showDefaultValues = true,
    description = {"Export a checkpoint's towers to ONNX: image_encoder.onnx (pixel_values float [batch, 3, H, W] "
        + "-> embeds [batch, E]), text_encoder.onnx (input_ids, attention_mask int64 [batch, sequence], right "
        + "padded -> embeds [batch, E]), class_embeds.safetensors when the checkpoint has learned prompts, and "
        + "export.json (source, image size, opset, adapter handling, cleft version).",
        "The image size is fixed at export; batch and sequence length stay dynamic."},
    footer = {"", "Example:",
        "  cleft export --checkpoint ckpt/ --out ckpt/onnx --image-size 224",
        "See docs/export.md."})
public final class ExportCommand implements Callable<Integer> {
  @Option(names = "--checkpoint", required = true, paramLabel = "DIR",
      description = "Checkpoint directory: text/, vision/, heads.safetensors, optional cleft.json and adapter "
          + "folders. Required.")
  private Path checkpoint;

  @Option(names = "--out", required = true, paramLabel = "DIR",
      description = "Folder to write to (created if needed; files of the same names are replaced). Required.")
  private Path out;

  @Option(names = "--image-size", paramLabel = "PIXELS",
      description = "Input height and width of the image encoder, a multiple of the patch size. "
          + "Default: cleft.json's vision.image_size, else the vision config's image_size.")
  private Integer imageSize;

  @Option(names = "--opset", paramLabel = "N", defaultValue = "" + OnnxExporter.DEFAULT_OPSET,
      description = "ONNX opset, " + OnnxExporter.DEFAULT_OPSET + " to " + OnnxExporter.MAX_OPSET + ".")
  private int opset;

  @Option(names = "--adapter", paramLabel = "manifest|none|DIR", defaultValue = "manifest",
      description = "Text adapter to apply: 'manifest' (the one cleft.json names, if any), 'none' (the plain "
          + "tower), or a peft adapter folder (relative to the checkpoint or absolute). LoRA is merged into the "
          + "weights, IA3 folded into them, prefix tuning kept in the graph.")
  private String adapter;

  @Option(names = "--external-data",
      description = "Always put the weights in <model>.onnx.data (ONNX external data). Default: only for models "
          + "whose weights exceed 1 GiB.")
  private boolean externalData;

  @ParentCommand
  private CleftCli cli;

  @Spec
  private CommandSpec spec;

  /** Creates the command (picocli instantiates it). */
  public ExportCommand() {}

  /**
   * Runs the export.
   *
   * @return 0 on success
   * @throws IOException when the checkpoint cannot be read (the message names the file and tensor or field)
   *     or the output cannot be written
   */
  @Override
  public Integer call() throws IOException {
    OnnxExporter exporter = exporter();
    if (!Files.isDirectory(checkpoint)) {
      throw new CliFailure(checkpoint + ": checkpoint directory not found",
          "pass --checkpoint a directory holding text/, vision/ and heads.safetensors");
    }
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new CliFailure(out + ": exists and is not a directory", "pass --out a folder (it is created if needed)");
    }
    ExportResult r = exporter.export(checkpoint, out);
    cli.out().printf("checkpoint  %s%n", checkpoint);
    cli.out().printf("image size  %d px%nopset       %d%n", r.imageSize(), r.opset());
    cli.out().printf("adapter     %s%n", r.adapter() == null ? "none" : r.adapter() + " (" + r.adapterHandling() + ")");
    if (r.classes() > 0) {
      cli.out().printf("classes     %d learned class embeddings%n", r.classes());
    }
    for (Path f : r.files()) {
      cli.out().printf("wrote       %s (%,d bytes)%n", f, Files.size(f));
    }
    return 0;
  }

  private OnnxExporter exporter() {
    OnnxExporter.Builder b = OnnxExporter.builder();
    try {
      if (imageSize != null) {
        if (imageSize <= 0) {
          throw new IllegalArgumentException("--image-size must be a positive number of pixels, got " + imageSize);
        }
        b.imageSize(imageSize);
      }
      b.opset(opset);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage().replace("opset must", "--opset must"));
    }
    switch (adapter) {
      case "manifest" -> b.adapterMode(OnnxExporter.AdapterMode.MANIFEST);
      case "none" -> b.adapterMode(OnnxExporter.AdapterMode.NONE);
      default -> b.adapterFolder(Path.of(adapter));
    }
    if (externalData) {
      b.externalDataThreshold(0);
    }
    return b.build();
  }
}
