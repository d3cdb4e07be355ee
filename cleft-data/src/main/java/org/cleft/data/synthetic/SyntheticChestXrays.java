package org.cleft.data.synthetic;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import javax.imageio.ImageIO;
import org.cleft.data.dataset.Captions;
import org.cleft.data.dataset.ChexpertClasses;
import org.cleft.data.image.UInt8Image;

/**
 * Writes a synthetic CheXpert-shaped data set: {@code train/patientNNNNN/study1/view1_frontal.png}
 * (and {@code valid/...}), {@code train.csv} and {@code valid.csv} with the real CheXpert columns (so
 * {@link org.cleft.data.dataset.ChexpertLoader} reads them; findings are {@code 1.0} or blank,
 * "No Finding" is {@code 1.0} when none), and {@code train_manifest.csv} / {@code valid_manifest.csv}
 * (path, report, the five classes) with captions built the reference way.
 */
public final class SyntheticChestXrays {
  private SyntheticChestXrays() {
  }

  /**
   * Writes a data set.
   *
   * @param out the folder to write into (created)
   * @param trainCount number of training images
   * @param validCount number of validation images
   * @param seed the seed; the same arguments always give the same files
   * @param generator the image generator
   * @return {@code out}
   */
  public static Path write(Path out, int trainCount, int validCount, long seed, ChestXrayGenerator generator) {
    try {
      Files.createDirectories(out);
      writeSplit(out, "train", trainCount, seed, generator);
      writeSplit(out, "valid", validCount, seed ^ 0x5DEECE66DL, generator);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the synthetic data set to " + out + ": " + e.getMessage(), e);
    }
  }

  private static void writeSplit(Path out, String split, int count, long seed, ChestXrayGenerator generator)
      throws IOException {
    List<String> csv = new ArrayList<>();
    csv.add(String.join(",", ChexpertClasses.METADATA) + "," + String.join(",", ChexpertClasses.FOURTEEN));
    List<String> manifest = new ArrayList<>();
    manifest.add("path,report," + String.join(",", ChexpertClasses.FIVE));
    Random meta = new Random(seed);
    for (int i = 1; i <= count; i++) {
      SyntheticCase c = generator.random(seed * 1_000_003L + i);
      String rel = String.format(Locale.ROOT, "%s/patient%05d/study1/view1_frontal.png", split, i);
      writePng(c.image(), out.resolve(rel));
      String[] cells = new String[ChexpertClasses.FOURTEEN.size()];
      java.util.Arrays.fill(cells, "");
      List<String> positives = new ArrayList<>();
      StringBuilder five = new StringBuilder();
      for (String name : ChexpertClasses.FIVE) {
        boolean has = c.findings().stream().anyMatch(f -> f.chexpertName().equals(name));
        if (has) {
          cells[ChexpertClasses.FOURTEEN.indexOf(name)] = "1.0";
          positives.add(name);
        }
        five.append(',').append(has ? "1" : "0");
      }
      if (positives.isEmpty()) {
        cells[0] = "1.0";
      }
      String sex = meta.nextBoolean() ? "Male" : "Female";
      int age = 20 + meta.nextInt(70);
      String view = meta.nextDouble() < 0.6 ? "AP" : "PA";
      csv.add(rel + "," + sex + "," + age + ",Frontal," + view + "," + String.join(",", cells));
      manifest.add(rel + ",\"" + Captions.chestXray(positives) + "\"" + five);
    }
    Files.write(out.resolve(split + ".csv"), csv, StandardCharsets.UTF_8);
    Files.write(out.resolve(split + "_manifest.csv"), manifest, StandardCharsets.UTF_8);
  }

  /**
   * Writes a grey or RGB image as PNG.
   *
   * @param image the image
   * @param file the destination (parent folders are created)
   * @throws IOException when writing fails
   */
  public static void writePng(UInt8Image image, Path file) throws IOException {
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    BufferedImage img = new BufferedImage(image.width(), image.height(),
        image.channels() == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR);
    for (int y = 0; y < image.height(); y++) {
      for (int x = 0; x < image.width(); x++) {
        for (int ch = 0; ch < image.channels(); ch++) {
          img.getRaster().setSample(x, y, ch, image.get(x, y, ch));
        }
      }
    }
    if (!ImageIO.write(img, "png", file.toFile())) {
      throw new IOException("no PNG writer for " + file);
    }
  }

  /**
   * Writes a data set from the command line.
   *
   * @param args {@code OUT_DIR [TRAIN_COUNT=1000] [VALID_COUNT=200] [SEED=0] [SIZE=224]}
   */
  public static void main(String[] args) {
    if (args.length < 1 || args.length > 5) {
      System.err.println("usage: SyntheticChestXrays OUT_DIR [TRAIN_COUNT=1000] [VALID_COUNT=200] [SEED=0] [SIZE=224]");
      System.exit(2);
    }
    int train = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    int valid = args.length > 2 ? Integer.parseInt(args[2]) : 200;
    long seed = args.length > 3 ? Long.parseLong(args[3]) : 0;
    int size = args.length > 4 ? Integer.parseInt(args[4]) : 224;
    Path out = write(Path.of(args[0]), train, valid, seed, new ChestXrayGenerator(size, 0.3));
    System.out.println("wrote " + train + " training and " + valid + " validation images to " + out);
  }
}
