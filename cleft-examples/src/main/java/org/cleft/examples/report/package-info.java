/**
 * Charts for evaluation and demo reports, drawn with Java2D into PNG files (no plotting library):
 * {@link org.cleft.examples.report.Charts} (loss curve, ROC curves, confusion matrix) and the curve
 * geometry they plot, {@link org.cleft.examples.report.RocCurve}. The same inputs always give the same
 * bytes on a given machine (fixed sizes, fixed palette, no timestamps in the files).
 */
package org.cleft.examples.report;
