/**
 * A pure-Java reader and writer for the <a href="https://github.com/huggingface/safetensors">safetensors</a>
 * format, the weight format of HuggingFace transformers and peft.
 *
 * <p>Files are memory-mapped tensor by tensor, so checkpoints of any size (several GB, sharded or
 * not) load without reading a whole file onto the heap. {@link org.cleft.api.safetensors.SafetensorsFile}
 * reads one file, {@link org.cleft.api.safetensors.ShardedSafetensors} a
 * {@code model.safetensors.index.json} and its shards, and
 * {@link org.cleft.api.safetensors.Safetensors#openModel(java.nio.file.Path)} picks the right one for
 * a HuggingFace model directory; all three are a {@link org.cleft.api.safetensors.TensorSource}.
 * {@link org.cleft.api.safetensors.SafetensorsWriter} writes files atomically. Half-precision
 * values ({@code F16}, {@code BF16}) are converted to float32 exactly by
 * {@link org.cleft.api.safetensors.HalfPrecision}.
 *
 * <p>Every load-time failure is a checked {@link org.cleft.api.safetensors.SafetensorsException}
 * whose message names the file and, where one is involved, the tensor.
 */
package org.cleft.api.safetensors;
