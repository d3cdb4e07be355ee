/**
 * Evaluation metrics for zero-shot classification, linear probing and retrieval, in pure Java and
 * independent of any engine: {@link org.cleft.api.metrics.Metrics} (accuracy, argmax, ROC AUC with
 * scikit-learn's tie handling, macro one-vs-rest AUC, recall@k) and
 * {@link org.cleft.api.metrics.ConfusionMatrix}.
 *
 * <p>Invalid input (mismatched lengths, labels out of range, a single class where AUC needs two)
 * raises {@link java.lang.IllegalArgumentException} with a message naming the argument.
 */
package org.cleft.api.metrics;
