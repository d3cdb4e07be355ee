/**
 * Generic image-report manifests (CSV with RFC 4180 quoting, or JSON Lines) and the pieces every data
 * set loader shares: {@link org.cleft.data.manifest.Sample}, {@link org.cleft.data.manifest.LoadedDataset},
 * label parsing with an {@link org.cleft.data.manifest.UncertainPolicy}, and the row policy
 * ({@link org.cleft.data.manifest.RowPolicy}: fail fast or skip) with its
 * {@link org.cleft.data.manifest.SkipReport}. No row is ever dropped silently: a skipped row is listed
 * with its number and reason, and rows left out by a filter (for example lateral views) are counted.
 *
 * <p>Row numbers are 1-based line numbers in the file where the record starts (the CSV header is line
 * 1), so they can be found in an editor.
 */
package org.cleft.data.manifest;
