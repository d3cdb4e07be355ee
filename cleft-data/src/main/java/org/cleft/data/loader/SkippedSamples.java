package org.cleft.data.loader;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The samples a {@link BatchLoader} left out under {@link BadSamplePolicy#SKIP}: each one is logged once (a
 * warning naming the file and the reason) and counted every time an epoch meets it. Thread-safe.
 */
public final class SkippedSamples {
  private static final Logger LOG = LoggerFactory.getLogger(BatchLoader.class);
  private final Map<Integer, String> reasons = new LinkedHashMap<>();
  private long count;

  SkippedSamples() {}

  synchronized void add(int index, String file, Throwable cause) {
    count++;
    if (!reasons.containsKey(index)) {
      String reason = file + ": " + (cause == null ? "unreadable" : cause.getMessage());
      reasons.put(index, reason);
      LOG.warn("skipping sample {} ({}); the batch is one smaller", index, reason);
    }
  }

  /** {@return how many times a sample was left out of a batch (over every epoch)} */
  public synchronized long count() {
    return count;
  }

  /** {@return one line per distinct sample left out: its index, file and reason, in the order first met} */
  public synchronized List<String> samples() {
    List<String> out = new ArrayList<>();
    reasons.forEach((i, r) -> out.add("sample " + i + ": " + r));
    return out;
  }
}
