package org.cleft.data.tokenize;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.cleft.api.CleftHome;
import org.cleft.api.TextTokenizer;
import org.cleft.api.TokenBatch;

/**
 * A {@link TextTokenizer} backed by a HuggingFace {@code tokenizer.json}, run by DJL's bundled
 * native tokenizers library (offline). Batches carry the special tokens the file's post-processor adds, as
 * HuggingFace's {@code tokenizer(texts)} does (GPT-2 adds none; LLaMA's template puts BOS in front); they are right
 * padded with {@link #padId()}, and a text too long loses its last tokens, never a special one.
 *
 * <p>Instances are thread-safe: the native tokenizer is immutable after loading.
 */
public final class HfTextTokenizer implements TextTokenizer {
  private static final Map<String, String> OPTIONS =
      Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false");

  /** The word continuations are read after (prompt tuning's class names follow the context's words). */
  private static final String ANCHOR = "x";

  /** The text whose encodings with and without special tokens tell where the special tokens go. */
  private static final String PROBE = "chest x ray";

  private final HuggingFaceTokenizer tokenizer;
  private final long padId;
  private final long[] front;
  private final long[] back;
  private long idLimit = -1;
  private final String source;
  private final AtomicBoolean closed = new AtomicBoolean();

  private HfTextTokenizer(HuggingFaceTokenizer tokenizer, long padId, String source) {
    this.tokenizer = tokenizer;
    this.padId = padId;
    this.source = source;
    long[] plain = tokenizer.encode(PROBE, false, false).getIds();
    long[] special = tokenizer.encode(PROBE, true, false).getIds();
    int at = indexOf(special, plain);
    if (at < 0) {
      throw new IllegalArgumentException("tokenizer " + source + ": its post-processor changes a text's own tokens "
          + "(not only special tokens around them), which cleft does not support");
    }
    this.front = Arrays.copyOfRange(special, 0, at);
    this.back = Arrays.copyOfRange(special, at + plain.length, special.length);
  }

  private static int indexOf(long[] in, long[] part) {
    for (int i = 0; i + part.length <= in.length; i++) {
      if (Arrays.equals(in, i, i + part.length, part, 0, part.length)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Loads a {@code tokenizer.json}.
   *
   * @param tokenizerJson the {@code tokenizer.json} file
   * @param padId the id used for padding (for GPT-2 models the eos id, 50256)
   * @return the tokenizer, which the caller closes
   * @throws UncheckedIOException when the file cannot be read
   * @throws IllegalArgumentException when the file is not a valid tokenizer or {@code padId} is negative
   */
  public static HfTextTokenizer load(Path tokenizerJson, long padId) {
    if (padId < 0) {
      throw new IllegalArgumentException("padId must be >= 0 for " + tokenizerJson + ", got " + padId);
    }
    if (!Files.isRegularFile(tokenizerJson)) {
      throw new UncheckedIOException(new IOException("tokenizer file not found: " + tokenizerJson));
    }
    // DJL's tokenizer runs its usage tracking (a connect to a cloud metadata address) unless opted out first
    CleftHome.configureEngines();
    try {
      return new HfTextTokenizer(HuggingFaceTokenizer.newInstance(tokenizerJson, OPTIONS), padId,
          tokenizerJson.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read tokenizer " + tokenizerJson, e);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("invalid tokenizer file " + tokenizerJson + ": " + e.getMessage(), e);
    }
  }

  @Override
  public long[] ids(String text) {
    checkOpen();
    Encoding encoding = tokenizer.encode(text, false, false);
    return encoding.getIds();
  }

  @Override
  public TokenBatch encode(List<String> texts, int maxLength, boolean padToMax) {
    return rows(texts, maxLength, padToMax, false);
  }

  /**
   * {@inheritDoc} Each text's ids are those it gets after a one-word anchor ({@code ids(anchor + text)} less the
   * anchor's own), which is what it reads inside a sentence; where the anchor and the text would merge, the text's
   * own ids are used.
   */
  @Override
  public TokenBatch encodeContinuations(List<String> texts, int maxLength) {
    return rows(texts, maxLength, false, true);
  }

  /** {@return the ids of {@code text} as it reads after a word} */
  long[] continuationIds(String text) {
    long[] anchor = ids(ANCHOR);
    long[] joined = ids(ANCHOR + text);
    if (joined.length > anchor.length && Arrays.equals(joined, 0, anchor.length, anchor, 0, anchor.length)) {
      return Arrays.copyOfRange(joined, anchor.length, joined.length);
    }
    return ids(text);
  }

  private TokenBatch rows(List<String> texts, int maxLength, boolean padToMax, boolean continuation) {
    if (texts == null || texts.isEmpty()) {
      throw new IllegalArgumentException("texts must not be empty");
    }
    if (maxLength <= 0) {
      throw new IllegalArgumentException("maxLength must be positive, got " + maxLength);
    }
    int room = maxLength - front.length - back.length;
    if (room < 1) {
      throw new IllegalArgumentException("maxLength " + maxLength + " leaves no room for a text beside the "
          + (front.length + back.length) + " special tokens of " + source);
    }
    long[][] rows = new long[texts.size()][];
    int longest = 1;
    for (int i = 0; i < rows.length; i++) {
      long[] own = continuation ? continuationIds(texts.get(i)) : ids(texts.get(i));
      int n = Math.min(own.length, room);
      long[] row = new long[front.length + n + back.length];
      System.arraycopy(front, 0, row, 0, front.length);
      System.arraycopy(own, 0, row, front.length, n);
      System.arraycopy(back, 0, row, front.length + n, back.length);
      rows[i] = row;
      longest = Math.max(longest, row.length);
    }
    int length = padToMax ? maxLength : longest;
    long[] ids = new long[rows.length * length];
    long[] mask = new long[rows.length * length];
    Arrays.fill(ids, padId);
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(rows[i], 0, ids, i * length, rows[i].length);
      Arrays.fill(mask, i * length, i * length + rows[i].length, 1L);
    }
    return new TokenBatch(ids, mask, rows.length, length);
  }

  @Override
  public long padId() {
    return padId;
  }

  @Override
  public long idLimit() {
    return idLimit;
  }

  /** Sets what {@link #idLimit()} answers (the loaders read it from the vocabulary). */
  HfTextTokenizer withIdLimit(long limit) {
    this.idLimit = limit;
    return this;
  }

  @Override
  public int specialPrefix() {
    return front.length;
  }

  @Override
  public int specialSuffix() {
    return back.length;
  }

  /** {@return where this tokenizer was loaded from, for messages} */
  @Override
  public String source() {
    return source;
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      tokenizer.close();
    }
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException("tokenizer " + source + " is closed");
    }
  }

  @Override
  public String toString() {
    return "HfTextTokenizer[" + source + ", pad " + padId + "]";
  }
}
