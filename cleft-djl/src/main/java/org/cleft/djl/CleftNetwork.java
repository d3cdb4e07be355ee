package org.cleft.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.cleft.djl.dinov2.Dinov2Model;
import org.cleft.djl.gpt2.Gpt2Model;
import org.cleft.djl.nn.DjlOps;
import org.cleft.djl.peft.TextAdapter;
import org.cleft.model.pooling.Poolings;

/**
 * The CLEFT computation on DJL arrays: image features are the mean of all tokens of the last
 * block before the final norm; text features are the last non-pad token's hidden state; both are
 * projected and L2-normalised; logits are {@code exp(logit_scale) * image @ text^T}.
 */
public final class CleftNetwork {
  private final Dinov2Model vision;
  private final Gpt2Model text;
  private final ClipHeads heads;

  /**
   * Ties the towers and heads together.
   *
   * @param vision the image tower
   * @param text the text tower
   * @param heads the projections and {@code logit_scale}
   */
  public CleftNetwork(Dinov2Model vision, Gpt2Model text, ClipHeads heads) {
    this.vision = vision;
    this.text = text;
    this.heads = heads;
  }

  /** {@return the image tower} */
  public Dinov2Model vision() {
    return vision;
  }

  /** {@return the text tower} */
  public Gpt2Model text() {
    return text;
  }

  /** {@return the projection heads} */
  public ClipHeads heads() {
    return heads;
  }

  /**
   * Image side outputs.
   *
   * @param output the tower's outputs
   * @param pooled mean over all tokens of the pre-norm output
   * @param embeds projected, L2-normalised
   */
  public record ImageOutput(Dinov2Model.Output output, NDArray pooled, NDArray embeds) {}

  /**
   * Text side outputs.
   *
   * @param lastHiddenState after {@code ln_f}
   * @param lastToken the hidden state of the last non-pad token
   * @param embeds projected, L2-normalised
   */
  public record TextOutput(NDArray lastHiddenState, NDArray lastToken, NDArray embeds) {}

  /**
   * Encodes pixels [batch, 3, H, W].
   *
   * @param pixels the preprocessed images
   * @return the tower output, the pooled features and the projected, normalised embeddings
   */
  public ImageOutput encodeImages(NDArray pixels) {
    Dinov2Model.Output out = vision.forward(pixels);
    NDArray pooled = Poolings.meanOfTokens(DjlOps.INSTANCE, out.prenorm());
    return new ImageOutput(out, pooled, heads.projectImage(pooled));
  }

  /**
   * Encodes token ids [batch, seq] with attention mask [batch, seq].
   *
   * @param ids the token ids
   * @param mask the attention mask, 1 for real tokens
   * @param adapter the text adapter, or null
   * @return the last hidden states, the last-token features and the projected, normalised embeddings
   */
  public TextOutput encodeTexts(NDArray ids, NDArray mask, TextAdapter adapter) {
    return encodeEmbedded(text.embed(ids), mask, adapter);
  }

  /**
   * Encodes token embeddings [batch, seq, width] (prompt tuning prepends learned vectors).
   *
   * @param embeds the token embeddings
   * @param mask the attention mask, 1 for real positions
   * @param adapter the text adapter, or null
   * @return the last hidden states, the last-token features and the projected, normalised embeddings
   */
  public TextOutput encodeEmbedded(NDArray embeds, NDArray mask, TextAdapter adapter) {
    NDArray h = text.forward(embeds, mask, adapter);
    NDArray last = Poolings.lastToken(DjlOps.INSTANCE, h, mask);
    return new TextOutput(h, last, heads.projectText(last));
  }

  /**
   * {@code exp(logit_scale) * image @ text^T}.
   *
   * @param imageEmbeds normalised image embeddings [images, dim]
   * @param textEmbeds normalised text embeddings [texts, dim]
   * @return the logits [images, texts]
   */
  public NDArray logits(NDArray imageEmbeds, NDArray textEmbeds) {
    return imageEmbeds.matMul(textEmbeds.transpose()).mul(heads.logitScaleArray().exp());
  }

  /**
   * {@return the symmetric contrastive loss {@code CE(logits, arange) + CE(logits^T, arange)}}
   *
   * @param logits the logits [batch, batch], matching pairs on the diagonal
   */
  public static NDArray contrastiveLoss(NDArray logits) {
    long n = logits.getShape().get(0);
    NDManager m = logits.getManager();
    NDArray target = m.arange(0, n, 1, DataType.INT64).reshape(n, 1);
    NDArray rows = logits.logSoftmax(1).gather(target, 1).mean().neg();
    NDArray cols = logits.transpose().logSoftmax(1).gather(target, 1).mean().neg();
    return rows.add(cols);
  }
}
