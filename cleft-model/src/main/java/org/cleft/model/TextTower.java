package org.cleft.model;

import java.util.List;
import java.util.Map;
import org.cleft.model.peft.AdaptableModule;
import org.cleft.model.peft.AdaptableTower;
import org.cleft.model.peft.AdapterHook;

/**
 * A text tower written once against {@link Ops}: token embeddings, the transformer (with a peft hook) and the final
 * norm, kept apart so that an engine can pool before normalising (the norm is per token).
 *
 * @param <T> the engine's tensor handle
 */
public interface TextTower<T> extends AdaptableTower {

  /**
   * {@return what peft needs to know of this tower (also known before its weights load, from the family); the
   * {@link AdaptableTower} methods answer from it}
   */
  AdaptableTower adaptable();

  @Override
  default String family() {
    return adaptable().family();
  }

  @Override
  default String wrapperPrefix() {
    return adaptable().wrapperPrefix();
  }

  @Override
  default Map<String, AdaptableModule> linearModules() {
    return adaptable().linearModules();
  }

  @Override
  default int layers() {
    return adaptable().layers();
  }

  @Override
  default int keyValueHeads() {
    return adaptable().keyValueHeads();
  }

  @Override
  default int headDim() {
    return adaptable().headDim();
  }

  @Override
  default int positions() {
    return adaptable().positions();
  }

  @Override
  default List<String> loraTargets() {
    return adaptable().loraTargets();
  }

  @Override
  default List<String> ia3Targets() {
    return adaptable().ia3Targets();
  }

  @Override
  default List<String> ia3Feedforward() {
    return adaptable().ia3Feedforward();
  }

  /** {@return the hidden width} */
  int width();

  /** {@return the vocabulary size} */
  long vocabSize();

  /** {@return the token embedding matrix [vocab, width]} */
  T tokenEmbeddings();

  /**
   * {@return token embeddings: [batch, seq] integer ids to [batch, seq, width]}
   *
   * @param ops the engine's ops
   * @param ids the token ids
   */
  T embed(Ops<T> ops, T ids);

  /**
   * {@return the hidden states of the last layer, before the final norm: [batch, seq, width]}
   *
   * @param ops the engine's ops
   * @param embeds the token embeddings [batch, seq, width] (prompt tuning puts learned vectors in front)
   * @param mask the attention mask [batch, seq], 1 for real tokens and 0 for right padding
   * @param adapter the peft adapter, or {@link AdapterHook#none()}
   */
  T hidden(Ops<T> ops, T embeds, T mask, AdapterHook<T> adapter);

  /**
   * {@return the final norm of hidden states (any leading shape)}
   *
   * @param ops the engine's ops
   * @param hidden from {@link #hidden}
   */
  T finalNorm(Ops<T> ops, T hidden);
}
