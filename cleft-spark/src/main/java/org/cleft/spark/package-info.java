/**
 * cleft on Apache Spark: embed and classify a whole image archive with any cleft inference backend on the
 * executors ({@link org.cleft.spark.SparkInference}), and write the results as Parquet or JSON that a rerun
 * resumes ({@link org.cleft.spark.ResumableOutput}).
 */
package org.cleft.spark;
