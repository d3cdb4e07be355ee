/**
 * The engine-neutral CLEFT API: value types that cross between modules ({@link org.cleft.api.ImageBatch},
 * {@link org.cleft.api.TokenBatch}, {@link org.cleft.api.Embeddings}), the encoder, classifier, trainer and
 * prompt-learner interfaces, and the way a backend is chosen ({@link org.cleft.api.spi}).
 */
package org.cleft.api;
