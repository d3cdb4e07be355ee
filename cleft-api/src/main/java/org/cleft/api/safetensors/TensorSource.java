package org.cleft.api.safetensors;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Named tensors read from safetensors storage: one file ({@link SafetensorsFile}) or a sharded set
 * ({@link ShardedSafetensors}).
 *
 * <p>Reads map the file region of one tensor at a time; nothing is cached, so a caller that needs a
 * tensor twice keeps the array. Implementations are safe for concurrent reads. Calling a read
 * method after {@link #close()} throws {@link IllegalStateException}.
 */
public interface TensorSource extends AutoCloseable {

  /**
   * {@return the {@code __metadata__} entries (for a sharded set, the index's {@code metadata}); empty if
   * none; unmodifiable}
   */
  Map<String, String> metadata();

  /**
   * {@return every tensor name, in header order (for a sharded set, the order of the index's weight map);
   * unmodifiable}
   */
  List<String> names();

  /**
   * Whether a tensor called {@code name} exists.
   *
   * @param name a tensor name
   * @return true if {@link #info(String)} would succeed
   */
  boolean contains(String name);

  /**
   * Type, shape and location of a tensor.
   *
   * @param name a tensor name
   * @return its header entry
   * @throws SafetensorsException if there is no such tensor (the message names the file(s) and the tensor)
   */
  TensorInfo info(String name) throws SafetensorsException;

  /**
   * A tensor's elements converted to float32, row-major. {@code F16} and {@code BF16} convert
   * exactly, {@code F64} and 64/32-bit integers round to the nearest float, {@code BOOL} gives 0 or 1.
   *
   * @param name a tensor name
   * @return {@code info(name).numel()} floats
   * @throws SafetensorsException if the tensor is missing, has more elements than a Java array holds,
   *     or cannot be read
   */
  float[] floats(String name) throws SafetensorsException;

  /**
   * A contiguous range of a tensor's elements (in row-major order) converted to float32, for tensors
   * too large to read at once.
   *
   * @param name a tensor name
   * @param fromElement index of the first element
   * @param count number of elements
   * @return {@code count} floats
   * @throws SafetensorsException if the tensor is missing or cannot be read
   * @throws IndexOutOfBoundsException if the range lies outside the tensor
   */
  float[] floats(String name, long fromElement, int count) throws SafetensorsException;

  /**
   * Reads elements {@code [fromElement, fromElement + n)} of a floating-point tensor, converted to
   * {@code to}, into {@code dst} from its position to its limit ({@code n = dst.remaining() / to.byteSize()}),
   * little-endian; on return the position equals the limit. Made for loading weights straight into an
   * engine's own memory: the bytes are read through the file channel in bounded chunks, so no mapping
   * stays behind, no array of the whole tensor is made and no Java direct memory is reserved.
   * Widening is exact; narrowing to {@code F16} or {@code BF16} rounds to nearest-even.
   *
   * @param name a tensor name
   * @param to {@code F32}, {@code F16} or {@code BF16}
   * @param fromElement index of the first element to read
   * @param dst where the elements go; its remaining bytes must be a multiple of {@code to.byteSize()}
   * @throws SafetensorsException if the tensor is missing, is not floating point, cannot be read, or holds a
   *     finite value beyond the range of {@code to} (float16 ends at 65504); the message names the file and tensor
   * @throws IndexOutOfBoundsException if the range lies outside the tensor
   * @throws IllegalArgumentException if {@code to} is not a 16- or 32-bit float type or {@code dst} is read-only
   */
  void read(String name, DType to, long fromElement, ByteBuffer dst) throws SafetensorsException;

  /**
   * A tensor's elements as longs: integer types are sign-extended ({@code U8} zero-extended),
   * {@code BOOL} gives 0 or 1.
   *
   * @param name a tensor name
   * @return {@code info(name).numel()} longs
   * @throws SafetensorsException if the tensor is missing, has a floating-point type, or cannot be read
   */
  long[] longs(String name) throws SafetensorsException;

  /**
   * A read-only, little-endian view of a tensor's bytes, memory-mapped (position 0, limit the byte
   * length). The view stays readable after {@link #close()}.
   *
   * @param name a tensor name
   * @return the tensor's bytes
   * @throws SafetensorsException if the tensor is missing, is larger than 2 GiB (use
   *     {@link #raw(String, long, int)}), or cannot be mapped
   */
  ByteBuffer raw(String name) throws SafetensorsException;

  /**
   * A read-only, little-endian view of part of a tensor's bytes, for tensors over 2 GiB.
   *
   * @param name a tensor name
   * @param byteOffset offset from the tensor's first byte
   * @param byteLength number of bytes
   * @return the bytes {@code [byteOffset, byteOffset + byteLength)} of the tensor
   * @throws SafetensorsException if the tensor is missing or cannot be mapped
   * @throws IndexOutOfBoundsException if the range lies outside the tensor
   */
  ByteBuffer raw(String name, long byteOffset, int byteLength) throws SafetensorsException;

  /** {@return the file read: the {@code .safetensors} file, or the index json of a sharded set} */
  Path path();

  /** Releases the open files. Idempotent; throws no checked exception. */
  @Override
  void close();
}
