/**
 * A parallel, prefetching batch loader: worker threads decode and transform samples, the consumer
 * collates them into {@link org.cleft.api.ImageBatch} and {@link org.cleft.api.TokenBatch}. Order
 * and augmentation depend only on the seed, the epoch and the sample index, never on the thread
 * count. Datasets feed it through {@link org.cleft.data.loader.SampleSource}.
 */
package org.cleft.data.loader;
