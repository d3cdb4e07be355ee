package org.cleft.examples.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.cleft.api.CaptionStyle;
import org.cleft.api.ContrastiveTrainer;
import org.cleft.api.TrainingConfig;
import org.cleft.api.TrainingReport;
import org.cleft.api.checkpoint.CleftCheckpoint;
import org.cleft.api.spi.Backend;
import org.cleft.data.loader.BatchLoader;
import org.cleft.data.loader.LoaderBatchSource;
import org.cleft.data.manifest.LoadedDataset;
import org.cleft.data.tokenize.HfTextTokenizer;
import org.cleft.data.tokenize.TextTokenizers;
import org.cleft.model.BaseCheckpoint;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code cleft train}: CLEFT stage 1, contrastive pre-training on image-report pairs. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Contrastive pre-training (CLEFT stage 1) on image-report pairs: the image tower, the text tower's "
        + "peft adapter (or the whole LM), both projections and logit_scale. Hyper-parameters default to the paper's.",
        "Start from a CLEFT checkpoint (--base) or from two HF folders (--text, --vision), which get a new adapter and "
            + "new projection heads."},
    footer = {"", "Example:", "  cleft train --text models/gpt2 --vision models/dinov2-with-registers-base "
        + "--manifest train.csv --valid-manifest valid.csv --out runs/clef1", "See docs/training.md."})
public final class TrainCommand implements Callable<Integer> {
  @ArgGroup(exclusive = true, multiplicity = "1")
  private Start start;

  static final class Start {
    @Option(names = "--base", paramLabel = "CKPT", description = "A CLEFT checkpoint to start from (or, with --resume, "
        + "a checkpoint of this run to continue).")
    Path base;

    @ArgGroup(exclusive = false)
    Towers towers;
  }

  static final class Towers {
    @Option(names = "--text", required = true, paramLabel = "HF_DIR",
        description = "Text tower: an HF GPT-2-architecture folder (gpt2, BioMedLM).")
    Path text;

    @Option(names = "--vision", required = true, paramLabel = "HF_DIR",
        description = "Image tower: an HF dinov2 / dinov2_with_registers folder.")
    Path vision;
  }

  @Option(names = "--adapter", paramLabel = "KIND", defaultValue = "lora",
      description = "With --text/--vision: the adapter to add, lora, ia3 or none. Default: ${DEFAULT-VALUE}.")
  private String adapter;

  @Option(names = "--lora-r", paramLabel = "R", defaultValue = "8", description = "LoRA rank. Default: ${DEFAULT-VALUE}.")
  private int loraR;

  @Option(names = "--lora-alpha", paramLabel = "A", defaultValue = "32",
      description = "LoRA alpha. Default: ${DEFAULT-VALUE}.")
  private double loraAlpha;

  @Option(names = "--lora-targets", paramLabel = "MODULE[,MODULE...]", split = ",",
      description = "With --text/--vision and --adapter lora: peft's target_modules (e.g. "
          + "q_proj,k_proj,v_proj,o_proj), or all-linear for every linear module of the text tower. Default: the family's (GPT-2 c_attn; LLaMA "
          + "q_proj,v_proj).")
  private List<String> loraTargets;

  @Option(names = "--embedding-dim", paramLabel = "N", defaultValue = "512",
      description = "With --text/--vision: width of the shared embedding space. Default: ${DEFAULT-VALUE}.")
  private int embeddingDim;

  @Option(names = "--image-size", paramLabel = "PIXELS",
      description = "Training input size (default: the checkpoint's cleft.json, else the vision config's).")
  private Integer imageSize;

  @Option(names = "--manifest", paramLabel = "FILE",
      description = "Training pairs: CSV or JSONL with an image path column and a report column. Or give --dataset and --data.")
  private Path manifest;

  @Option(names = "--valid-manifest", paramLabel = "FILE",
      description = "Validation images with one 0/1 column per --classes, for zero-shot accuracy, macro AUC and "
          + "retrieval recall@1/5 every --eval-every steps. Default: none.")
  private Path validManifest;

  @Option(names = "--template", paramLabel = "TEXT", defaultValue = EvalCommand.DEFAULT_TEMPLATE,
      description = "Zero-shot caption template; {} is the class name. Default: '${DEFAULT-VALUE}'.")
  private String template;

  @Mixin
  private TrainedParts parts;

  @Mixin
  private TrainingOptions training;

  @ParentCommand
  private CleftCli cli;

  @Spec
  private CommandSpec spec;

  /** Creates the command (picocli instantiates it). */
  public TrainCommand() {}

  @Override
  public Integer call() throws Exception {
    TrainingConfig config = config(); // validated before any data is read
    training.checkOutput(start.base);
    Path base = start.base != null ? start.base : assemble();
    CleftCheckpoint ckpt = CleftCheckpoint.open(base);
    if (config.text() == TrainingConfig.TextTraining.ADAPTER && ckpt.adapter().isEmpty()) {
      throw new CliFailure(base + " has no peft adapter for the text tower (cleft.json text.adapter), and "
          + "--text-train adapter (the default) trains only an adapter", "train the whole LM with --text-train full, "
          + "none of it with --text-train frozen, or start from --text/--vision with --adapter lora");
    }
    int size = imageSize != null ? imageSize : ckpt.imageSize();
    int maxTokens = ckpt.maxTextLength();
    LoadedDataset train = training.trainingData(manifest, List.of());
    // the checkpoint records how its captions are cased, so zero-shot class names are normalised the same way
    config = config.toBuilder().optCaptionCasing(CaptionStyle.Casing.of(
        train.samples().stream().map(s -> s.text()).toList())).build();
    LoadedDataset valid = validManifest == null ? null
        : TrainingData.manifest(validManifest, training.imageColumn, training.textColumn, training.classes, "--valid-manifest");
    training.clearIfOverwriting(); // the data and the checkpoint have been read
    try (Backend b = TrainingBackends.open(training.backend, training.device, training.frozen.precision());
        HfTextTokenizer tok = TextTokenizers.fromDirectory(ckpt.textDir());
        BatchLoader trainLoader = TrainingData.training(train, tok, maxTokens, size, training.minCropScale,
            training.batchSize, training.threads, training.seed, training.badSamples);
        BatchLoader validLoader = valid == null ? null
            : TrainingData.evaluation(valid, tok, maxTokens, size, training.batchSize, training.threads, training.badSamples);
        ContrastiveTrainer trainer = b.contrastiveTrainer(base, config, training.resume)) {
      cli.out().printf(Locale.ROOT, "train    %d pairs from %s, %d steps of %d, image size %d%n", train.samples().size(),
          manifest != null ? manifest : training.data, config.steps(), trainLoader.batchesPerEpoch() > 0 ? Math.min(training.batchSize,
              train.samples().size()) : 0, size);
      SkipNotes.rows(cli.out(), "the training data", train);
      if (valid != null) {
        SkipNotes.rows(cli.out(), "the validation data", valid);
      }
      TrainingReport r = trainer.train(new LoaderBatchSource(trainLoader),
          validLoader == null ? null : new LoaderBatchSource(validLoader), ProgressBar.on(cli.out(), "train", config.steps()));
      Reports.print(cli.out(), r);
      SkipNotes.images(cli.out(), "the training data", trainLoader);
      SkipNotes.images(cli.out(), "the validation data", validLoader);
      return 0;
    }
  }

  private TrainingConfig config() {
    try {
      TrainingConfig.Builder b = training.apply(TrainingConfig.builder()).optClassNames(validManifest == null
          ? List.of() : training.classes).optTemplate(template);
      parts.apply(b);
      if (!(training.minCropScale > 0 && training.minCropScale <= 1)) {
        throw new IllegalArgumentException("--min-crop-scale must be in (0, 1], got " + training.minCropScale);
      }
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage().replace("TrainingConfig.", ""));
    }
  }

  private Path assemble() throws Exception {
    BaseCheckpoint.Adapter kind = switch (adapter.toLowerCase(Locale.ROOT)) {
      case "lora" -> BaseCheckpoint.Adapter.LORA;
      case "ia3" -> BaseCheckpoint.Adapter.IA3;
      case "none" -> BaseCheckpoint.Adapter.NONE;
      default -> throw new ParameterException(spec.commandLine(), "--adapter must be lora, ia3 or none, got '" + adapter + "'");
    };
    Path out = training.out.resolve("base");
    if (Files.exists(out.resolve(CleftCheckpoint.MANIFEST))) {
      return reuse(out, kind); // a previous run of this folder assembled it already
    }
    return BaseCheckpoint.assemble(out, start.towers.text, start.towers.vision, kind, loraR, loraAlpha, loraTargets,
        embeddingDim, imageSize != null ? imageSize : 0, training.seed);
  }

  /** An assembled base from an earlier run of this folder, if it was built from the same towers and settings. */
  private Path reuse(Path base, BaseCheckpoint.Adapter kind) throws Exception {
    java.util.Map<String, Object> p = CleftCheckpoint.open(base).manifest().provenance();
    java.util.Map<String, Object> now = new java.util.LinkedHashMap<>();
    now.put("text", start.towers.text.toAbsolutePath().normalize().toString());
    now.put("vision", start.towers.vision.toAbsolutePath().normalize().toString());
    now.put("seed", training.seed);
    now.put("adapter", kind.name());
    now.put("lora_r", loraR);
    now.put("lora_alpha", loraAlpha);
    now.put("embedding_dim", embeddingDim);
    for (java.util.Map.Entry<String, Object> e : now.entrySet()) {
      Object saved = p.get(e.getKey());
      if (saved == null || !String.valueOf(saved).equals(String.valueOf(e.getValue()))
          && !(saved instanceof Number n && e.getValue() instanceof Number m && n.doubleValue() == m.doubleValue())) {
        throw new CliFailure(base + " was assembled with " + e.getKey() + " = " + saved + ", this run asks for "
            + e.getValue(), "use another --out, delete " + base + ", or start from it with --base");
      }
    }
    if (imageSize != null && !String.valueOf(p.get("image_size")).equals(String.valueOf(imageSize))) {
      throw new CliFailure(base + " was assembled with image_size = " + p.get("image_size") + ", this run asks for "
          + imageSize, "use another --out, delete " + base + ", or start from it with --base");
    }
    return base;
  }
}
