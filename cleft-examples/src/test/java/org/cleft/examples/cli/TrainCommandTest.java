package org.cleft.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cleft.api.CaptionStyle;
import org.cleft.api.checkpoint.CleftCheckpoint;
import org.cleft.data.synthetic.ChestXrayGenerator;
import org.cleft.data.synthetic.SyntheticChestXrays;
import org.cleft.testkit.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cleft train} and {@code cleft prompt-tune} end to end on the tiny fixture and a synthetic set. */
class TrainCommandTest {
  @TempDir
  Path tmp;

  @Test
  void trainThenPromptTuneWriteLoadableCheckpoints() throws Exception {
    Path base = Fixtures.trainableTiny(tmp.resolve("base"));
    Path data = SyntheticChestXrays.write(tmp.resolve("data"), 12, 10, 3, new ChestXrayGenerator(64, 0.4));
    CliRun train = CliRun.of("train", "--base", base.toString(), "--manifest", data.resolve("train_manifest.csv").toString(),
        "--valid-manifest", data.resolve("valid_manifest.csv").toString(), "--out", tmp.resolve("run").toString(),
        "--steps", "4", "--warmup", "1", "--lr", "1e-4", "--batch-size", "4", "--checkpoint-every", "2",
        "--eval-every", "2", "--threads", "1", "--keep-best", "zero_shot_macro_auc");
    assertThat(train.exitCode()).as(train.out() + train.err()).isZero();
    assertThat(train.out()).contains("steps    4").contains("trainable of").contains("metric   zero_shot_accuracy");
    CleftCheckpoint trained = CleftCheckpoint.open(tmp.resolve("run/final"));
    assertThat(trained.adapter()).isPresent();
    // the synthetic reports are lower case: the checkpoint records that, with the classes it was evaluated on
    assertThat(trained.captionStyleRecorded()).isTrue();
    assertThat(trained.captionStyle().casing()).isEqualTo(CaptionStyle.Casing.LOWER);
    assertThat(trained.captionStyle().classes()).containsExactly("atelectasis", "cardiomegaly", "consolidation",
        "edema", "pleural effusion");
    assertThat(tmp.resolve("run/checkpoint-000002/trainer/state.json")).isRegularFile();
    assertThat(tmp.resolve("run/best/trainer/state.json")).isRegularFile();
    assertThat(Files.readString(tmp.resolve("run/metrics.jsonl"))).contains("\"type\":\"eval\"");

    CliRun prompt = CliRun.of("prompt-tune", "--model", tmp.resolve("run/final").toString(), "--manifest",
        data.resolve("train_manifest.csv").toString(), "--out", tmp.resolve("prompt").toString(), "--steps", "3",
        "--n-ctx", "4", "--batch-size", "4", "--threads", "1");
    assertThat(prompt.exitCode()).as(prompt.out() + prompt.err()).isZero();
    CleftCheckpoint tuned = CleftCheckpoint.open(tmp.resolve("prompt/final"));
    assertThat(tuned.manifest().prompt().classNames()).hasSize(5);
    assertThat(tuned.promptFile()).isPresent();
    assertThat(tuned.manifest().captions()).isEqualTo(trained.manifest().captions());
  }

  @Test
  void reportsWithCapitalsAreRecordedAsGiven() throws Exception {
    Path base = Fixtures.trainableTiny(tmp.resolve("base"));
    Path data = SyntheticChestXrays.write(tmp.resolve("data"), 8, 2, 3, new ChestXrayGenerator(64, 0.4));
    List<String> rows = new java.util.ArrayList<>(Files.readAllLines(data.resolve("train_manifest.csv")));
    rows.set(1, rows.get(1).replace("this is", "This is"));
    Files.write(data.resolve("train_manifest.csv"), rows);
    CliRun train = CliRun.of("train", "--base", base.toString(), "--manifest", data.resolve("train_manifest.csv").toString(),
        "--out", tmp.resolve("run").toString(), "--steps", "1", "--warmup", "0", "--batch-size", "4", "--threads", "1");
    assertThat(train.exitCode()).as(train.out() + train.err()).isZero();
    assertThat(CleftCheckpoint.open(tmp.resolve("run/final")).captionStyle().casing())
        .isEqualTo(CaptionStyle.Casing.AS_GIVEN);
  }

  @Test
  void aKnownDataSetWorksInPlaceOfAManifest() throws Exception {
    Path base = Fixtures.trainableTiny(tmp.resolve("base"));
    Path data = SyntheticChestXrays.write(tmp.resolve("chexpert"), 12, 4, 5, new ChestXrayGenerator(64, 0.4));
    CliRun train = CliRun.of("train", "--base", base.toString(), "--dataset", "chexpert", "--data",
        data.resolve("train.csv").toString(), "--out", tmp.resolve("run").toString(), "--steps", "2", "--warmup", "0",
        "--batch-size", "4", "--threads", "1");
    assertThat(train.exitCode()).as(train.out() + train.err()).isZero();
    assertThat(train.out()).contains("train.csv");
    CliRun neither = CliRun.of("train", "--base", base.toString(), "--out", tmp.resolve("x").toString());
    assertThat(neither.exitCode()).isEqualTo(1);
    assertThat(neither.err()).contains("--manifest FILE or as --dataset KIND --data PATH");
  }

  @Test
  void helpExplainsEveryOptionAndBadValuesAreOneLineUsageErrors() {
    for (String cmd : new String[] {"train", "prompt-tune", "demo"}) {
      CliRun help = CliRun.of(cmd, "--help");
      assertThat(help.exitCode()).isZero();
      assertThat(help.out()).contains("Usage: cleft " + cmd);
    }
    assertThat(CliRun.of("train", "--help").out()).contains("--lr", "--warmup", "--vision-train", "--text-train",
        "--grad-accum", "--clip-grad-norm", "--resume", "--device");
    CliRun bad = CliRun.of("train", "--base", tmp.toString(), "--manifest", "m.csv", "--out", "o", "--optimizer", "rmsprop");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err().strip().lines()).hasSize(1);
    assertThat(bad.err()).startsWith("cleft: ").contains("rmsprop");
  }
}
