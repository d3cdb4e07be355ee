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
 * native tokenizers library (offline). No special tokens are added (GPT-2 adds none); batches are
 * right padded with {@link #padId()} and truncated on the right.
 *
 * <p>Instances are thread-safe: the native tokenizer is immutable after loading.
 */
public final class HfTextTokenizer implements TextTokenizer {
  private static final Map<String, String> OPTIONS =
      Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false");

  private final HuggingFaceTokenizer tokenizer;
  private final long padId;
  private final String source;
  private final AtomicBoolean closed = new AtomicBoolean();

  private HfTextTokenizer(HuggingFaceTokenizer tokenizer, long padId, String source) {
    this.tokenizer = tokenizer;
    this.padId = padId;
    this.source = source;
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
    if (texts == null || texts.isEmpty()) {
      throw new IllegalArgumentException("texts must not be empty");
    }
    if (maxLength <= 0) {
      throw new IllegalArgumentException("maxLength must be positive, got " + maxLength);
    }
    long[][] rows = new long[texts.size()][];
    int longest = 1;
    for (int i = 0; i < rows.length; i++) {
      long[] all = ids(texts.get(i));
      rows[i] = all.length > maxLength ? Arrays.copyOf(all, maxLength) : all;
      longest = Math.max(longest, rows[i].length);
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

  /** {@return where this tokenizer was loaded from, for messages} */
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
