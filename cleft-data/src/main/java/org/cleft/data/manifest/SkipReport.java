package org.cleft.data.manifest;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects the rows a loader rejected (under {@link RowPolicy#SKIP}) or throws at the first one
 * (under {@link RowPolicy#FAIL_FAST}), and counts the rows a filter left out on purpose.
 */
public final class SkipReport {
  private final Path source;
  private final RowPolicy policy;
  private final List<SkippedRow> rows = new ArrayList<>();
  private final Map<String, Integer> excluded = new LinkedHashMap<>();

  /**
   * Creates an empty report.
   *
   * @param source the file the row numbers refer to (named in exceptions)
   * @param policy whether to throw or record
   */
  public SkipReport(Path source, RowPolicy policy) {
    this.source = source;
    this.policy = policy;
  }

  /**
   * Rejects a row: throws under FAIL_FAST, records it under SKIP.
   *
   * @param row the 1-based line number of the row
   * @param kind the category
   * @param reason an explanation naming the field or file at fault
   * @throws RowRejectedException under {@link RowPolicy#FAIL_FAST}
   */
  public void reject(int row, SkipReason kind, String reason) {
    SkippedRow skipped = new SkippedRow(row, kind, reason);
    if (policy == RowPolicy.FAIL_FAST) {
      throw new RowRejectedException(source, skipped);
    }
    rows.add(skipped);
  }

  /**
   * Counts a row left out on purpose by a filter (never an error, never thrown).
   *
   * @param why the filter, e.g. "lateral view"
   */
  public void exclude(String why) {
    excluded.merge(why, 1, Integer::sum);
  }

  /**
   * The policy in force.
   *
   * @return FAIL_FAST or SKIP
   */
  public RowPolicy policy() {
    return policy;
  }

  /**
   * The file the row numbers refer to.
   *
   * @return the source file
   */
  public Path source() {
    return source;
  }

  /**
   * Every skipped row, in file order.
   *
   * @return an unmodifiable list
   */
  public List<SkippedRow> rows() {
    return Collections.unmodifiableList(rows);
  }

  /**
   * The number of skipped rows.
   *
   * @return the count
   */
  public int count() {
    return rows.size();
  }

  /**
   * The number of skipped rows of one kind.
   *
   * @param kind the category
   * @return the count
   */
  public int count(SkipReason kind) {
    return (int) rows.stream().filter(r -> r.kind() == kind).count();
  }

  /**
   * Counts per category, in enum order, categories with no rows left out.
   *
   * @return kind to count
   */
  public Map<SkipReason, Integer> countsByKind() {
    Map<SkipReason, Integer> m = new EnumMap<>(SkipReason.class);
    rows.forEach(r -> m.merge(r.kind(), 1, Integer::sum));
    return m;
  }

  /**
   * Rows left out by filters, per filter.
   *
   * @return filter description to count, in first-seen order
   */
  public Map<String, Integer> excluded() {
    return Collections.unmodifiableMap(excluded);
  }

  /**
   * A multi-line summary: totals per kind and filter, then up to {@code maxListed} skipped rows.
   *
   * @param maxListed how many rows to list one by one
   * @return the summary text
   */
  public String summary(int maxListed) {
    StringBuilder sb = new StringBuilder();
    sb.append(source).append(": ").append(rows.size()).append(" row(s) skipped");
    countsByKind().forEach((k, n) -> sb.append(", ").append(k).append(' ').append(n));
    excluded.forEach((why, n) -> sb.append(System.lineSeparator()).append("  excluded (").append(why).append("): ").append(n));
    rows.stream().limit(maxListed).forEach(r -> sb.append(System.lineSeparator()).append("  ").append(r));
    if (rows.size() > maxListed) {
      sb.append(System.lineSeparator()).append("  ... and ").append(rows.size() - maxListed).append(" more");
    }
    return sb.toString();
  }
}
