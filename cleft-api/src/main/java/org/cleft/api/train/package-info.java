/**
 * The engine-neutral training core every training backend shares: the reference learning-rate schedule
 * ({@link org.cleft.api.train.CosineWarmupSchedule}), the resumable trainer state and its file format
 * ({@link org.cleft.api.train.TrainerState}), atomic checkpoint writing
 * ({@link org.cleft.api.train.CheckpointWriter}), the metrics log ({@link org.cleft.api.train.MetricsLog}) and
 * typed provenance ({@link org.cleft.api.train.TrainingProvenance}). An engine supplies parameters, gradients
 * and the update.
 */
package org.cleft.api.train;
