package org.cleft.api.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.cleft.api.Embeddings;
import org.junit.jupiter.api.Test;

/** Retrieval recalls on embeddings whose rankings are worked out by hand. */
class RetrievalTest {
  @Test
  void recallsInBothDirections() {
    // images: unit vectors at angles; texts chosen so that image 0's best text is text 1
    Embeddings images = new Embeddings(new float[] {1, 0, 0, 1, 0.6f, 0.8f}, 3, 2);
    Embeddings texts = new Embeddings(new float[] {0.8f, 0.6f, 1, 0, 0, 1}, 3, 2);
    // image->text similarities (rows images, cols texts):
    // i0: 0.8 1.0 0.0 -> own (0.8) ranks 2nd
    // i1: 0.6 0.0 1.0 -> own (0.0) ranks 3rd
    // i2: 0.96 0.6 0.8 -> own (0.8) ranks 2nd
    // text->image (rows texts): t0: 0.8 0.6 0.96 -> own 2nd; t1: 1 0 0.6 -> own (0) 3rd; t2: 0 1 0.8 -> own 2nd
    Retrieval r = Retrieval.of(images, texts);
    assertThat(r.imageToText()).containsExactly(0.0, 1.0);
    assertThat(r.textToImage()).containsExactly(0.0, 1.0);
    assertThat(Retrieval.imageToText(images, texts, 2)).isEqualTo(2.0 / 3);
    assertThat(Retrieval.textToImage(images, texts, 2)).isEqualTo(2.0 / 3);
    assertThat(r.toMap("val_")).containsOnlyKeys("val_image_to_text_r1", "val_image_to_text_r5",
        "val_text_to_image_r1", "val_text_to_image_r5");
  }

  @Test
  void perfectPairsRecallEverything() {
    Embeddings e = new Embeddings(new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, 3, 3);
    Retrieval r = Retrieval.of(e, e);
    assertThat(r.imageToText()).containsExactly(1.0, 1.0);
    assertThat(r.textToImage()).containsExactly(1.0, 1.0);
  }

  @Test
  void unpairedEmbeddingsAreRefused() {
    Embeddings a = new Embeddings(new float[] {1, 0}, 1, 2);
    Embeddings b = new Embeddings(new float[] {1, 0, 0, 1}, 2, 2);
    assertThatThrownBy(() -> Retrieval.of(a, b)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 rows vs 2");
  }
}
