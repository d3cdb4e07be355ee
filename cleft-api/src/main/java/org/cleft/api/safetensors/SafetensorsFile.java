package org.cleft.api.safetensors;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One safetensors file, validated at {@link #open(Path)} and read by memory-mapping the region of
 * each tensor as it is asked for. Files of any size work: no mapping exceeds 2 GiB and the file is
 * never read whole onto the heap.
 *
 * <pre>{@code
 * try (SafetensorsFile f = SafetensorsFile.open(dir.resolve("model.safetensors"))) {
 *   float[] wte = f.floats("wte.weight");
 * }
 * }</pre>
 */
public final class SafetensorsFile implements TensorSource {
  /** Java arrays hold a little less than {@code Integer.MAX_VALUE} elements on common JVMs. */
  static final int MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;
  /** Bytes read per call of {@link #read}: small enough that the JDK's temporary direct buffer stays small. */
  private static final int READ_CHUNK_BYTES = 256 << 10;

  private final Path file;
  private final FileChannel channel;
  private final SafetensorsHeader header;
  private final List<String> names;
  private final long maxMapBytes;
  private volatile boolean closed;
  private ByteBuffer scratchBytes;
  private float[] scratchFloats;

  private SafetensorsFile(Path file, FileChannel channel, SafetensorsHeader header, long maxMapBytes) {
    this.file = file;
    this.channel = channel;
    this.header = header;
    this.names = List.copyOf(header.tensors().keySet());
    this.maxMapBytes = maxMapBytes;
  }

  /**
   * Opens and validates {@code file}: header length, JSON, and for every tensor its dtype, shape,
   * data offsets, byte count and that no two tensors overlap.
   *
   * @param file a {@code .safetensors} file
   * @return the open file; close it when done
   * @throws SafetensorsException if the file is missing, unreadable or malformed (the message names
   *     the file and the offending tensor)
   */
  public static SafetensorsFile open(Path file) throws SafetensorsException {
    return open(file, Integer.MAX_VALUE);
  }

  /** As {@link #open(Path)}, converting in mappings of at most {@code maxMapBytes} (tests use small values). */
  static SafetensorsFile open(Path file, long maxMapBytes) throws SafetensorsException {
    Objects.requireNonNull(file, "file");
    FileChannel channel;
    try {
      channel = FileChannel.open(file, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      throw new SafetensorsException(file + ": no such file", e);
    } catch (IOException e) {
      throw new SafetensorsException(file + ": cannot open: " + e, e);
    }
    try {
      return new SafetensorsFile(file, channel, SafetensorsHeader.read(file, channel), maxMapBytes);
    } catch (SafetensorsException e) {
      closeQuietly(channel);
      throw e;
    } catch (IOException | RuntimeException e) {
      closeQuietly(channel);
      throw new SafetensorsException(file + ": cannot read the header: " + e, e);
    }
  }

  @Override
  public Map<String, String> metadata() {
    return header.metadata();
  }

  @Override
  public List<String> names() {
    return names;
  }

  @Override
  public boolean contains(String name) {
    return header.tensors().containsKey(name);
  }

  @Override
  public TensorInfo info(String name) throws SafetensorsException {
    TensorInfo info = header.tensors().get(name);
    if (info == null) {
      throw SafetensorsException.of(file, name, "no such tensor (the file has " + names.size() + ")");
    }
    return info;
  }

  @Override
  public float[] floats(String name) throws SafetensorsException {
    TensorInfo info = info(name);
    float[] out = new float[arrayLength(info)];
    readFloats(info, 0, out);
    return out;
  }

  @Override
  public float[] floats(String name, long fromElement, int count) throws SafetensorsException {
    TensorInfo info = info(name);
    Objects.checkFromIndexSize(fromElement, count, info.numel());
    float[] out = new float[count];
    readFloats(info, fromElement, out);
    return out;
  }

  @Override
  public synchronized void read(String name, DType to, long fromElement, ByteBuffer dst) throws SafetensorsException {
    TensorInfo info = info(name);
    if (to != DType.F32 && to != DType.F16 && to != DType.BF16) {
      throw new IllegalArgumentException("read() converts to F32, F16 or BF16, not " + to);
    }
    if (dst.isReadOnly()) {
      throw new IllegalArgumentException("read() needs a writable buffer");
    }
    if (!info.dtype().isFloatingPoint()) {
      throw SafetensorsException.of(file, name, "dtype " + info.dtype().headerName() + " is not floating point");
    }
    if (dst.remaining() % to.byteSize() != 0) {
      throw new IllegalArgumentException(dst.remaining() + " bytes do not hold whole " + to + " elements");
    }
    long count = dst.remaining() / to.byteSize();
    Objects.checkFromIndexSize(fromElement, count, info.numel());
    int srcSize = info.dtype().byteSize();
    int step = (int) Math.max(1, Math.min(READ_CHUNK_BYTES, maxMapBytes) / Math.max(srcSize, to.byteSize()));
    boolean convert = info.dtype() != to;
    ByteBuffer chunk = convert ? scratchBytes(step * srcSize) : null;
    float[] values = convert ? scratchFloats(step) : null;
    for (long done = 0; done < count; done += step) {
      int n = (int) Math.min(step, count - done);
      long at = info.offset() + (fromElement + done) * srcSize;
      if (chunk == null) {
        ByteBuffer window = dst.duplicate();
        window.limit(window.position() + n * srcSize);
        readFully(info, at, window);
        dst.position(window.position());
        continue;
      }
      chunk.clear().limit(n * srcSize);
      readFully(info, at, chunk);
      chunk.flip();
      ElementConversion.toFloats(info.dtype(), chunk, values, 0, n);
      ByteBuffer out = dst.duplicate().order(ByteOrder.LITTLE_ENDIAN);
      int bad = ElementConversion.narrow(values, n, to, out);
      if (bad >= 0) {
        throw SafetensorsException.of(file, name, "element " + (fromElement + done + bad) + " (" + values[bad]
            + ") lies beyond the range of " + to.headerName() + "; keep this tensor in float32");
      }
      dst.position(out.position());
    }
  }

  /** The conversion buffer of {@link #read}, kept between calls so that loading a model makes no garbage. */
  private ByteBuffer scratchBytes(int bytes) {
    if (scratchBytes == null || scratchBytes.capacity() < bytes) {
      scratchBytes = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }
    return scratchBytes;
  }

  private float[] scratchFloats(int count) {
    if (scratchFloats == null || scratchFloats.length < count) {
      scratchFloats = new float[count];
    }
    return scratchFloats;
  }

  /** Fills {@code dst} from file position {@code at}, through the channel (no mapping). */
  private void readFully(TensorInfo info, long at, ByteBuffer dst) throws SafetensorsException {
    if (closed) {
      throw new IllegalStateException(file + " is closed");
    }
    long pos = at;
    try {
      while (dst.hasRemaining()) {
        int n = channel.read(dst, pos);
        if (n < 0) {
          throw SafetensorsException.of(file, info.name(), "the file ends at byte " + pos + ", inside the tensor");
        }
        pos += n;
      }
    } catch (IOException e) {
      if (closed) {
        throw new IllegalStateException(file + " is closed", e);
      }
      throw SafetensorsException.of(file, info.name(), "cannot read bytes at " + pos + ": " + e);
    }
  }

  @Override
  public long[] longs(String name) throws SafetensorsException {
    TensorInfo info = info(name);
    if (info.dtype().isFloatingPoint()) {
      throw SafetensorsException.of(file, name, "dtype " + info.dtype().headerName()
          + " is floating point, not integer; read it with floats()");
    }
    long[] out = new long[arrayLength(info)];
    int step = elementsPerMapping(info.dtype());
    for (int done = 0; done < out.length; done += step) {
      int n = Math.min(step, out.length - done);
      ByteBuffer bytes = map(info, (long) done * info.dtype().byteSize(), n * info.dtype().byteSize());
      ElementConversion.toLongs(info.dtype(), bytes, out, done, n);
    }
    return out;
  }

  @Override
  public ByteBuffer raw(String name) throws SafetensorsException {
    TensorInfo info = info(name);
    if (info.byteLength() > Integer.MAX_VALUE) {
      throw SafetensorsException.of(file, name, info.byteLength()
          + " bytes do not fit one ByteBuffer; read it in parts with raw(name, offset, length)");
    }
    return map(info, 0, (int) info.byteLength());
  }

  @Override
  public ByteBuffer raw(String name, long byteOffset, int byteLength) throws SafetensorsException {
    TensorInfo info = info(name);
    Objects.checkFromIndexSize(byteOffset, byteLength, info.byteLength());
    return map(info, byteOffset, byteLength);
  }

  @Override
  public Path path() {
    return file;
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      closeQuietly(channel);
    }
  }

  @Override
  public String toString() {
    return "SafetensorsFile[" + file + ", " + names.size() + " tensors]";
  }

  /** Fills {@code out} with elements {@code [from, from + out.length)} of {@code info}, one mapping at a time. */
  private void readFloats(TensorInfo info, long from, float[] out) throws SafetensorsException {
    int size = info.dtype().byteSize();
    int step = elementsPerMapping(info.dtype());
    for (int done = 0; done < out.length; done += step) {
      int n = Math.min(step, out.length - done);
      ByteBuffer bytes = map(info, (from + done) * size, n * size);
      ElementConversion.toFloats(info.dtype(), bytes, out, done, n);
    }
  }

  private int elementsPerMapping(DType dtype) {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, maxMapBytes) / dtype.byteSize());
  }

  private int arrayLength(TensorInfo info) throws SafetensorsException {
    if (info.numel() > MAX_ARRAY_LENGTH) {
      throw SafetensorsException.of(file, info.name(), info.numel()
          + " elements exceed a Java array; read it in parts with floats(name, from, count)");
    }
    return (int) info.numel();
  }

  /** A read-only little-endian mapping of {@code length} bytes at {@code offset} within the tensor. */
  private ByteBuffer map(TensorInfo info, long offset, int length) throws SafetensorsException {
    if (closed) {
      throw new IllegalStateException(file + " is closed");
    }
    if (length == 0) {
      return ByteBuffer.allocate(0).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }
    try {
      return channel.map(FileChannel.MapMode.READ_ONLY, info.offset() + offset, length)
          .order(ByteOrder.LITTLE_ENDIAN);
    } catch (IOException e) {
      if (closed) {
        throw new IllegalStateException(file + " is closed", e);
      }
      throw new SafetensorsException(file + ": tensor '" + info.name() + "': cannot map bytes " + offset
          + ".." + (offset + length) + ": " + e, e);
    }
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // nothing was written; a failure to release a read-only handle loses no data
    }
  }
}
