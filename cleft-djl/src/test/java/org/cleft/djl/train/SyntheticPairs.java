package org.cleft.djl.train;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import org.cleft.api.TextTokenizer;
import org.cleft.data.dataset.Captions;
import org.cleft.data.image.UInt8Image;
import org.cleft.data.loader.BatchLoader;
import org.cleft.data.loader.ImageSource;
import org.cleft.data.loader.Sample;
import org.cleft.data.loader.SampleSource;
import org.cleft.data.synthetic.ChestXrayGenerator;
import org.cleft.data.synthetic.Finding;
import org.cleft.data.transform.ImagePipeline;
import org.cleft.data.transform.RandomResizedCrop;

/** In-memory synthetic chest X-rays with one finding each, captioned the reference way, for trainer tests. */
final class SyntheticPairs {
  static final List<String> CLASSES = List.of("Atelectasis", "Cardiomegaly", "Consolidation", "Edema",
      "Pleural Effusion");

  private SyntheticPairs() {}

  static List<Sample> samples(int count, long seed, int size) {
    ChestXrayGenerator gen = new ChestXrayGenerator(size, 0);
    Random r = new Random(seed);
    List<Sample> out = new ArrayList<>();
    Finding[] findings = Finding.values();
    for (int i = 0; i < count; i++) {
      Finding f = findings[i % findings.length];
      UInt8Image img = gen.generate(EnumSet.of(f), r.nextLong()).image();
      float[] labels = new float[findings.length];
      labels[f.ordinal()] = 1;
      ImageSource src = () -> img;
      out.add(new Sample(src, Captions.chestXray(List.of(f.chexpertName())), labels));
    }
    return out;
  }

  static BatchLoader loader(List<Sample> samples, TextTokenizer tok, int imageSize, int batch, boolean train,
      long seed) {
    return BatchLoader.builder(SampleSource.of(samples), train ? ImagePipeline.training(new RandomResizedCrop(imageSize, 0.6, 1, 3 / 4.0, 4 / 3.0))
            : ImagePipeline.evaluation(imageSize))
        .optTokenizer(tok).optBatchSize(batch).optThreads(1).optSeed(seed).optShuffle(train).optDropLast(train)
        .optMaxTokens(32).build();
  }
}
