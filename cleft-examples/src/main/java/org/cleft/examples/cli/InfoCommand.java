package org.cleft.examples.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import org.cleft.api.TrainingConfig;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.checkpoint.CleftCheckpoint;
import org.cleft.api.safetensors.Safetensors;
import org.cleft.api.safetensors.SafetensorsException;
import org.cleft.api.safetensors.SafetensorsFile;
import org.cleft.api.safetensors.TensorSource;
import org.cleft.model.TextFamily;
import org.cleft.model.TowerFamilies;
import org.cleft.model.VisionFamily;
import org.cleft.model.train.TrainableSelection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code cleft info}: a checkpoint's parameters per part and those a training setting trains, counted from the
 * safetensors headers with the training core's own selection ({@link TrainableSelection}); no weight is read and
 * no engine starts.
 */
@Command(name = "info", mixinStandardHelpOptions = true,
    description = {"Count a checkpoint's parameters per part (text tower, adapter, image tower, heads) and those a "
        + "training setting would train, from the safetensors headers alone: no weights are loaded and no engine "
        + "starts, so it works on checkpoints of any size."},
    footer = {"", "Examples:", "  cleft info --checkpoint ckpt/",
        "  cleft info --checkpoint ckpt/ --text-train full --vision-train last:4"})
public final class InfoCommand implements Callable<Integer> {
  @Option(names = "--checkpoint", required = true, paramLabel = "DIR", description = "Checkpoint folder. Required.")
  private Path checkpoint;

  @Mixin
  private TrainedParts parts;

  @ParentCommand
  private CleftCli cli;

  @Spec
  private CommandSpec spec;

  /** Creates the command (picocli instantiates it). */
  public InfoCommand() {}

  @Override
  public Integer call() throws CheckpointException, SafetensorsException {
    TrainingConfig config = config();
    CleftCheckpoint c = CleftCheckpoint.open(checkpoint);
    TextFamily tf = TowerFamilies.text(c.textConfig());
    VisionFamily vf = TowerFamilies.vision(c.visionConfig());
    Map<String, Long> text;
    try (TensorSource t = Safetensors.openModel(c.textDir())) {
      text = counts(t, tf.wrapperPrefix(), tf::isWeight);
    }
    Map<String, Long> vision;
    try (TensorSource v = Safetensors.openModel(c.visionDir())) {
      vision = counts(v, vf.wrapperPrefix(), vf::isWeight);
    }
    Map<String, Long> adapter = new LinkedHashMap<>();
    if (c.adapter().isPresent()) {
      try (SafetensorsFile a = SafetensorsFile.open(c.adapter().get().weights())) {
        adapter = counts(a, "", n -> true);
      }
    }
    Map<String, Long> heads;
    try (SafetensorsFile h = SafetensorsFile.open(c.headsFile())) {
      heads = counts(h, "", n -> true);
    }
    int layers = vision.keySet().stream().mapToInt(vf::blockOf).max().orElse(-1) + 1;
    Map<String, Long> trainable;
    try {
      trainable = TrainableSelection.contrastive(vision, text, adapter, heads, vf, layers, config);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage().replace("text training ADAPTER",
          "--text-train adapter"));
    }
    Map<String, Long> adapterKeys = adapter;
    long textTrained = sum(trainable, k -> k.startsWith("text.") && !adapterKeys.containsKey(k.substring(5)));
    long adapterTrained = sum(trainable, k -> k.startsWith("text.") && adapterKeys.containsKey(k.substring(5)));
    long visionTrained = sum(trainable, k -> k.startsWith("vision."));
    long headsTrained = sum(trainable, heads::containsKey);
    String adapterName = c.adapter().map(a -> a.config().peftType()).orElse("none");
    cli.out().printf(Locale.ROOT, "checkpoint  %s%nsetting     --text-train %s --vision-train %s%n%n", checkpoint,
        parts.textTrain, parts.visionTrain);
    String fmt = "%-34s %16s %16s%n";
    cli.out().printf(fmt, "part", "parameters", "trainable");
    row(fmt, "text tower (" + tf.getClass().getSimpleName().replace("Family", "") + ", "
        + c.textConfig().modelType() + ")", total(text), textTrained);
    row(fmt, "adapter (" + adapterName + ")", total(adapter), adapterTrained);
    row(fmt, "image tower (" + c.visionConfig().modelType() + ")", total(vision), visionTrained);
    row(fmt, "heads (projections, logit_scale)", total(heads), headsTrained);
    long all = total(text) + total(adapter) + total(vision) + total(heads);
    long trained = textTrained + adapterTrained + visionTrained + headsTrained;
    row(fmt, "total", all, trained);
    cli.out().printf(Locale.ROOT, "%ntrainable: %.2f%% of all parameters; language side (tower, adapter, text "
        + "projection): %,d%n", all == 0 ? 0 : 100.0 * trained / all, textTrained + adapterTrained
        + sum(trainable, k -> k.startsWith("text_projection.")));
    return 0;
  }

  private void row(String fmt, String part, long total, long trainable) {
    cli.out().printf(Locale.ROOT, fmt, part, String.format(Locale.ROOT, "%,d", total),
        String.format(Locale.ROOT, "%,d", trainable));
  }

  private static Map<String, Long> counts(TensorSource source, String prefix, Predicate<String> isWeight)
      throws SafetensorsException {
    Map<String, Long> out = new LinkedHashMap<>();
    for (String name : source.names()) {
      String n = name.startsWith(prefix) ? name.substring(prefix.length()) : name;
      if (isWeight.test(n)) {
        long count = 1;
        for (long d : source.info(name).shape()) {
          count *= d;
        }
        out.put(n, count);
      }
    }
    return out;
  }

  private static long total(Map<String, Long> counts) {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }

  private static long sum(Map<String, Long> counts, Predicate<String> keys) {
    return counts.entrySet().stream().filter(e -> keys.test(e.getKey())).mapToLong(Map.Entry::getValue).sum();
  }

  private TrainingConfig config() {
    try {
      return parts.apply(TrainingConfig.builder().setOutputDir(Path.of("."))).build();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage().replace("TrainingConfig.", ""));
    }
  }
}
