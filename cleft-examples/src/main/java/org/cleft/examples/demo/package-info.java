/**
 * The end-to-end demo behind {@code cleft demo}: synthetic chest X-rays, a small CLEFT trained from
 * scratch, zero-shot and prompt-tuned evaluation, ONNX export and ONNX Runtime classification, and a
 * report with metrics and charts.
 */
package org.cleft.examples.demo;
