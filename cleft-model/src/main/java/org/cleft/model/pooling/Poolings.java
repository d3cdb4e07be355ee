package org.cleft.model.pooling;

import org.cleft.model.Ops;

/**
 * How CLEFT pools a tower's per-token states into one feature per input, written once for every engine (the names
 * are {@code cleft.json}'s {@code pooling} values).
 */
public final class Poolings {
  /** The image tower's pooling: the mean of all tokens of the last block, before the final norm. */
  public static final String MEAN_PRENORM = "mean_prenorm";
  /** The text tower's pooling: the hidden state of the last real (non-pad) token. */
  public static final String LAST_TOKEN = "last_token";

  private Poolings() {}

  /**
   * {@return the mean of all tokens: [batch, width] from [batch, tokens, width]}
   *
   * @param <T> the engine's tensor handle
   * @param ops the engine's ops
   * @param states the per-token states
   */
  public static <T> T meanOfTokens(Ops<T> ops, T states) {
    return ops.scope("pool").mean(states, 1);
  }

  /**
   * {@return each row's state at its last real token, right padding assumed: [batch, width]}
   *
   * @param <T> the engine's tensor handle
   * @param ops the engine's ops
   * @param states the per-token states [batch, seq, width]
   * @param mask the attention mask [batch, seq], 1 for real tokens
   */
  public static <T> T lastToken(Ops<T> ops, T states, T mask) {
    Ops<T> last = ops.scope("last");
    return last.tokenAt(states, last.lastPosition(mask));
  }
}
