/**
 * Engine-neutral evaluation of CLEFT models, in pure Java: zero-shot classification
 * ({@link org.cleft.api.eval.ZeroShotEvaluation}, whose result is a
 * {@link org.cleft.api.eval.ZeroShotResult}), image-text retrieval
 * ({@link org.cleft.api.eval.Retrieval}) and linear probing of frozen image features
 * ({@link org.cleft.api.eval.LinearProbe}, a multinomial logistic regression trained by L-BFGS).
 *
 * <p>The metrics themselves come from {@link org.cleft.api.metrics}; this package decides which
 * rows and scores enter them and gathers the numbers into immutable results with stable map keys
 * for JSON reports. See {@code docs/evaluation.md}.
 */
package org.cleft.api.eval;
