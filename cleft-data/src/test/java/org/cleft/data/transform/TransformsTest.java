package org.cleft.data.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.cleft.data.image.UInt8Image;
import org.junit.jupiter.api.Test;

class TransformsTest {

  /** A grey image: 10 everywhere, 200 inside the given box. */
  private static UInt8Image withBox(int w, int h, CropBox box) {
    UInt8Image img = UInt8Image.zeros(w, h, 1);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        boolean in = y >= box.top() && y <= box.bottom() && x >= box.left() && x <= box.right();
        img.data()[y * w + x] = (byte) (in ? 200 : 10);
      }
    }
    return img;
  }

  private static UInt8Image ramp(int w, int h) {
    UInt8Image img = UInt8Image.zeros(w, h, 1);
    for (int i = 0; i < img.data().length; i++) {
      img.data()[i] = (byte) ((i * 7 + i / w * 13) % 256);
    }
    return img;
  }

  @Test
  void otsuCropFindsAKnownBox() {
    CropBox box = new CropBox(12, 40, 7, 33);
    UInt8Image img = withBox(64, 48, box);
    assertThat(OtsuCrop.box(img)).contains(box);
    UInt8Image rgb = new GreyToRgb().apply(img, null);
    UInt8Image cut = new OtsuCrop().apply(rgb, null);
    assertThat(cut.width()).isEqualTo(27);
    assertThat(cut.height()).isEqualTo(29);
    assertThat(cut.channels()).isEqualTo(3);
    assertThat(cut.get(0, 0, 2)).isEqualTo(200);
  }

  @Test
  void otsuCropLeavesAFlatImageAlone() {
    UInt8Image flat = UInt8Image.zeros(8, 8, 1);
    assertThat(OtsuCrop.box(flat)).isEmpty();
    assertThat(new OtsuCrop().apply(flat, null)).isSameAs(flat);
  }

  @Test
  void resizeAndPadShapes() {
    UInt8Image grey = UInt8Image.zeros(100, 300, 1);
    java.util.Arrays.fill(grey.data(), (byte) 100);
    UInt8Image tall = new ResizeAndPad(256).apply(grey, null);
    assertThat(tall.width()).isEqualTo(256);
    assertThat(tall.height()).isEqualTo(256);
    // 100 * 256 / 300 = 85.33 -> 85 columns at 85..169, padding 85 left / 86 right
    assertThat(tall.get(84, 128, 0)).isZero();
    assertThat(tall.get(85, 128, 0)).isEqualTo(100);
    assertThat(tall.get(169, 128, 0)).isEqualTo(100);
    assertThat(tall.get(170, 128, 0)).isZero();
    UInt8Image small = new ResizeAndPad(256).apply(ramp(40, 30), null); // enlarging path
    assertThat(small.width()).isEqualTo(256);
    assertThat(small.height()).isEqualTo(256);
  }

  @Test
  void areaResizeAveragesBlocksAndKeepsConstants() {
    UInt8Image img = new UInt8Image(2, 2, 1, new byte[] {1, 2, 3, 4});
    assertThat(AreaResize.resize(img, 1, 1).get(0, 0, 0)).isEqualTo(3); // (10 + 2) >> 2
    UInt8Image grey = new UInt8Image(5, 3, 1, new byte[15]);
    java.util.Arrays.fill(grey.data(), (byte) 77);
    for (int[] size : new int[][] {{3, 2}, {9, 7}, {2, 6}}) {
      UInt8Image r = AreaResize.resize(grey, size[0], size[1]);
      for (byte b : r.data()) {
        assertThat(b & 0xFF).isEqualTo(77);
      }
    }
  }

  @Test
  void pilBilinearKeepsConstantsAndShapes() {
    UInt8Image rgb = new UInt8Image(7, 5, 3, new byte[105]);
    java.util.Arrays.fill(rgb.data(), (byte) 140);
    UInt8Image out = new BilinearResize(13, 3).apply(rgb, null);
    assertThat(out.width()).isEqualTo(13);
    assertThat(out.height()).isEqualTo(3);
    for (byte b : out.data()) {
      assertThat(b & 0xFF).isEqualTo(140);
    }
  }

  @Test
  void centerCropRoundsAndPads() {
    UInt8Image img = ramp(11, 9);
    UInt8Image crop = new CenterCrop(4).apply(img, null);
    // offsets round((11-4)/2)=round(3.5)=4 (half to even), round((9-4)/2)=round(2.5)=2
    assertThat(crop.get(0, 0, 0)).isEqualTo(img.get(4, 2, 0));
    UInt8Image padded = new CenterCrop(15).apply(img, null);
    assertThat(padded.width()).isEqualTo(15);
    assertThat(padded.get(0, 0, 0)).isZero();
    assertThat(padded.get(2, 3, 0)).isEqualTo(img.get(0, 0, 0));
  }

  @Test
  void flipMirrors() {
    UInt8Image img = new UInt8Image(3, 1, 1, new byte[] {1, 2, 3});
    assertThat(new HorizontalFlip(1).apply(img, new SplittableRandom(1)).data()).containsExactly(3, 2, 1);
    assertThat(new HorizontalFlip(0).apply(img, new SplittableRandom(1))).isSameAs(img);
  }

  @Test
  void randomResizedCropStaysInsideAndFallsBack() {
    RandomResizedCrop rrc = RandomResizedCrop.withDefaults(224);
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < 500; i++) {
      CropBox b = rrc.sample(300, 200, random);
      assertThat(b.right()).isLessThan(300);
      assertThat(b.bottom()).isLessThan(200);
      double ratio = (double) b.width() / b.height();
      assertThat(ratio).isBetween(0.70, 1.40);
    }
    // an impossible scale range forces the fallback: the centre crop clamped to the ratio range
    RandomResizedCrop wide = new RandomResizedCrop(32, 1.0, 1.0, 3.0 / 4.0, 4.0 / 3.0);
    assertThat(wide.sample(400, 100, new SplittableRandom(1))).isEqualTo(new CropBox(0, 99, 133, 265));
    assertThatThrownBy(() -> new RandomResizedCrop(224, 0.5, 0.2, 1, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("scale");
  }

  @Test
  void evaluationPipelineScalesToOtherInputSizes() {
    assertThat(ImagePipeline.evaluation(224)).isEqualTo(ImagePipeline.evaluation());
    assertThat(ImagePipeline.evaluation(56).steps()).containsExactly(new ResizeAndPad(64), new GreyToRgb(),
        new OtsuCrop(), new BilinearResize(64, 64), new CenterCrop(56));
    ImageTensor t = ImagePipeline.evaluation(56).apply(withBox(300, 360, new CropBox(40, 300, 30, 260)),
        new SplittableRandom(0));
    assertThat(t.height()).isEqualTo(56);
    assertThat(t.width()).isEqualTo(56);
    assertThatThrownBy(() -> ImagePipeline.evaluation(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("size");
  }

  @Test
  void pipelinesGiveShapesAndAreDeterministicUnderASeed() {
    UInt8Image img = withBox(300, 360, new CropBox(40, 300, 30, 260));
    ImageTensor eval = ImagePipeline.evaluation().apply(img, new SplittableRandom(0));
    assertThat(eval.channels()).isEqualTo(3);
    assertThat(eval.height()).isEqualTo(224);
    assertThat(eval.width()).isEqualTo(224);
    for (float v : eval.data()) {
      assertThat(v).isBetween(-1f, 1f);
    }
    UInt8Image noisy = ramp(300, 360);
    ImagePipeline train = ImagePipeline.training();
    ImageTensor a = train.apply(noisy, new SplittableRandom(42));
    ImageTensor b = train.apply(noisy, new SplittableRandom(42));
    assertThat(a).isEqualTo(b);
    assertThat(a.height()).isEqualTo(224);
    boolean anyDifferent = false;
    for (long seed = 43; seed < 48 && !anyDifferent; seed++) {
      anyDifferent = !train.apply(noisy, new SplittableRandom(seed)).equals(a);
    }
    assertThat(anyDifferent).isTrue();
  }

  @Test
  void normalizationMapsBytesToMinusOneToOne() {
    UInt8Image img = new UInt8Image(2, 1, 3, new byte[] {0, (byte) 255, 0, (byte) 255, 0, (byte) 255});
    ImageTensor t = Normalization.HALF.apply(img);
    assertThat(t.get(0, 0, 0)).isEqualTo(-1f);
    assertThat(t.get(1, 0, 0)).isEqualTo(1f);
    assertThat(t.get(0, 0, 1)).isEqualTo(1f);
    assertThatThrownBy(() -> Normalization.HALF.apply(UInt8Image.zeros(2, 2, 1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
