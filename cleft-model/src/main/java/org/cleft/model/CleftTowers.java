package org.cleft.model;

import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.model.heads.ClipProjections;
import org.cleft.model.peft.AdapterHook;
import org.cleft.model.pooling.Poolings;

/**
 * The CLEFT computation, written once: image features are the mean of every token of the image tower's last block
 * (before its final norm); text features the final-normed state of the last real token; both projected to the
 * shared space and L2-normalised; logits {@code exp(logit_scale) * image @ text^T}.
 *
 * @param <T> the engine's tensor handle
 */
public final class CleftTowers<T> {
  private final Image<T> image;
  private final Text<T> text;
  private final T logitScale;

  /**
   * The image side of one forward pass.
   *
   * @param <T> the engine's tensor handle
   * @param lastBlock the tower's last block [batch, tokens, width]
   * @param pooled the mean of its tokens [batch, width]
   * @param embeds projected and L2-normalised [batch, dim]
   */
  public record ImageFeatures<T>(T lastBlock, T pooled, T embeds) {}

  /**
   * The text side of one forward pass.
   *
   * @param <T> the engine's tensor handle
   * @param hidden the tower's last layer before its final norm [batch, seq, width]
   * @param lastToken the final-normed state of each text's last real token [batch, width]
   * @param embeds projected and L2-normalised [batch, dim]
   */
  public record TextFeatures<T>(T hidden, T lastToken, T embeds) {}

  /**
   * The image encoder: the image tower and {@code image_projection} (an engine that builds one graph per encoder
   * builds this one alone).
   *
   * @param <T> the engine's tensor handle
   */
  public static final class Image<T> {
    private final VisionTower<T> tower;
    private final Linear<T> head;

    /**
     * Ties the tower to its head, checked against the tower's width.
     *
     * @param tower the image tower
     * @param heads the heads' tensors ({@code heads.safetensors})
     * @throws CheckpointException naming the file, tensor and shapes when the head does not fit
     */
    public Image(VisionTower<T> tower, Weights<T> heads) throws CheckpointException {
      this.tower = tower;
      this.head = ClipProjections.head(heads, ClipProjections.IMAGE, tower.width());
    }

    /** {@return the image tower} */
    public VisionTower<T> tower() {
      return tower;
    }

    /**
     * {@return the image side for pixels [batch, channels, height, width]}
     *
     * @param ops the engine's ops
     * @param pixels the preprocessed images
     * @param height their height
     * @param width their width
     */
    public ImageFeatures<T> encode(Ops<T> ops, T pixels, int height, int width) {
      T last = tower.lastBlock(ops, pixels, height, width);
      T pooled = Poolings.meanOfTokens(ops, last);
      return new ImageFeatures<>(last, pooled, ClipProjections.project(ops.scope(ClipProjections.IMAGE), head, pooled));
    }
  }

  /**
   * The text encoder: the text tower and {@code text_projection}.
   *
   * @param <T> the engine's tensor handle
   */
  public static final class Text<T> {
    private final TextTower<T> tower;
    private final Linear<T> head;

    /**
     * Ties the tower to its head, checked against the tower's width.
     *
     * @param tower the text tower
     * @param heads the heads' tensors ({@code heads.safetensors})
     * @throws CheckpointException naming the file, tensor and shapes when the head does not fit
     */
    public Text(TextTower<T> tower, Weights<T> heads) throws CheckpointException {
      this.tower = tower;
      this.head = ClipProjections.head(heads, ClipProjections.TEXT, tower.width());
    }

    /** {@return the text tower} */
    public TextTower<T> tower() {
      return tower;
    }

    /**
     * {@return the text side for token ids [batch, seq] with their attention mask}
     *
     * @param ops the engine's ops
     * @param ids the token ids
     * @param mask the attention mask, 1 for real tokens
     * @param adapter the peft adapter, or {@link AdapterHook#none()}
     */
    public TextFeatures<T> encode(Ops<T> ops, T ids, T mask, AdapterHook<T> adapter) {
      return encodeEmbedded(ops, tower.embed(ops, ids), mask, adapter);
    }

    /**
     * {@return the text side for token embeddings [batch, seq, width] (prompt tuning puts learned vectors in front)}
     *
     * @param ops the engine's ops
     * @param embeds the token embeddings
     * @param mask the attention mask, 1 for real positions
     * @param adapter the peft adapter, or {@link AdapterHook#none()}
     */
    public TextFeatures<T> encodeEmbedded(Ops<T> ops, T embeds, T mask, AdapterHook<T> adapter) {
      T hidden = tower.hidden(ops, embeds, mask, adapter);
      // the final norm acts per token: pooling first normalises one state per text instead of every token
      T last = tower.finalNorm(ops, Poolings.lastToken(ops, hidden, mask));
      return new TextFeatures<>(hidden, last, ClipProjections.project(ops.scope(ClipProjections.TEXT), head, last));
    }
  }

  /**
   * Ties the towers to the heads of {@code heads.safetensors}, checking the heads against the towers' widths.
   *
   * @param vision the image tower
   * @param text the text tower
   * @param heads the heads' tensors
   * @throws CheckpointException naming the file, tensor and shapes when a head does not fit
   */
  public CleftTowers(VisionTower<T> vision, TextTower<T> text, Weights<T> heads) throws CheckpointException {
    this.image = new Image<>(vision, heads);
    this.text = new Text<>(text, heads);
    ClipProjections.checkLogitScale(heads);
    this.logitScale = heads.tensor(ClipProjections.LOGIT_SCALE, heads.shape(ClipProjections.LOGIT_SCALE));
  }

  /** {@return the image encoder} */
  public Image<T> image() {
    return image;
  }

  /** {@return the text encoder} */
  public Text<T> text() {
    return text;
  }

  /** {@return the learned temperature (one value, as stored)} */
  public T logitScale() {
    return logitScale;
  }

  /**
   * {@return {@code exp(logit_scale) * image @ text^T}: [images, texts]}
   *
   * @param ops the engine's ops
   * @param imageEmbeds normalised image embeddings [images, dim]
   * @param textEmbeds normalised text embeddings [texts, dim]
   */
  public T logits(Ops<T> ops, T imageEmbeds, T textEmbeds) {
    Ops<T> l = ops.scope("logits");
    return l.mul(l.matmul(imageEmbeds, l.transpose(textEmbeds, 1, 0)), l.exp(logitScale));
  }
}
