package org.cleft.api.checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.cleft.api.safetensors.DType;
import org.cleft.api.safetensors.SafetensorsException;
import org.cleft.api.safetensors.TensorInfo;
import org.cleft.api.safetensors.TensorSource;

/**
 * The memory a checkpoint's weights take once loaded, checked against what the machine has before a load starts,
 * so that a model too large fails at once with both figures and the fix rather than after minutes, in swap or with
 * an out-of-memory kill. Available memory is Linux's {@code MemAvailable} (page cache counts as available), bounded
 * by the cgroup limit a container sets; where neither can be read (other systems) nothing is refused.
 *
 * <pre>{@code
 * long bytes = MemoryBudget.weightBytes(source, name -> true, DType.F32);
 * MemoryBudget.system().require(bytes, "loading " + dir, "keep frozen weights in half precision");
 * }</pre>
 */
public final class MemoryBudget {
  /** The smallest matrix a half-precision load keeps in 16 bits (smaller ones stay float32). */
  public static final int HALF_MIN_ELEMENTS = 1 << 16;

  private final Supplier<OptionalLong> available;
  private final String source;

  private MemoryBudget(Supplier<OptionalLong> available, String source) {
    this.available = available;
    this.source = source;
  }

  /** The system property (bytes) that caps the memory a load may plan for, below what the machine has. */
  public static final String LIMIT_PROPERTY = "cleft.memory.limit";

  /**
   * {@return the budget of this machine (or container), capped by the system property {@value #LIMIT_PROPERTY}
   * (bytes) when set: a service sharing its machine can reserve memory for others}
   *
   * @throws IllegalArgumentException when the property is not a positive number of bytes
   */
  public static MemoryBudget system() {
    String limit = System.getProperty(LIMIT_PROPERTY);
    if (limit == null || limit.isBlank()) {
      return new MemoryBudget(MemoryBudget::linuxAvailable, "MemAvailable in /proc/meminfo, within the cgroup limit");
    }
    long cap;
    try {
      cap = Long.parseLong(limit.strip());
    } catch (NumberFormatException e) {
      cap = -1;
    }
    if (cap <= 0) {
      throw new IllegalArgumentException("-D" + LIMIT_PROPERTY + "=" + limit + ": expected a positive number of bytes");
    }
    long fixed = cap;
    return new MemoryBudget(() -> {
      OptionalLong machine = linuxAvailable();
      return OptionalLong.of(machine.isPresent() ? Math.min(machine.getAsLong(), fixed) : fixed);
    }, "MemAvailable within the cgroup limit and -D" + LIMIT_PROPERTY + "=" + fixed);
  }

  /**
   * {@return a budget with a fixed amount available, for tests and for callers that know better}
   *
   * @param bytes the bytes available
   */
  public static MemoryBudget of(long bytes) {
    return new MemoryBudget(() -> OptionalLong.of(bytes), "given");
  }

  /**
   * {@return whether a half-precision load keeps a tensor of {@code shape} in 16 bits: two dimensions and at least
   * {@value #HALF_MIN_ELEMENTS} elements (the weights of linear layers and embedding tables)}
   *
   * @param shape the tensor's shape
   */
  public static boolean isMatrix(long[] shape) {
    return shape.length == 2 && shape[0] * shape[1] >= HALF_MIN_ELEMENTS;
  }

  /**
   * {@return the bytes the floating-point tensors of {@code source} accepted by {@code filter} take once loaded,
   * the {@linkplain #isMatrix matrices} as {@code matrices} and the rest as float32}
   *
   * @param source the safetensors file or sharded set
   * @param filter which tensor names are loaded
   * @param matrices {@code F32}, {@code F16} or {@code BF16}
   * @throws CheckpointException when a header entry cannot be read
   */
  public static long weightBytes(TensorSource source, Predicate<String> filter, DType matrices)
      throws CheckpointException {
    long bytes = 0;
    try {
      for (String name : source.names()) {
        if (!filter.test(name)) {
          continue;
        }
        TensorInfo info = source.info(name);
        if (info.dtype().isFloatingPoint()) {
          bytes += info.numel() * (isMatrix(info.shape()) ? matrices.byteSize() : Float.BYTES);
        }
      }
    } catch (SafetensorsException e) {
      throw new CheckpointException(e.getMessage(), e);
    }
    return bytes;
  }

  /**
   * Refuses a load that needs more memory than is available.
   *
   * @param needed the bytes the load will hold
   * @param what what is being loaded, for the message (e.g. "loading /models/biomedlm on djl")
   * @param fix what to change, for the message
   * @throws InsufficientMemoryException naming both figures, where they come from and the fix
   */
  public void require(long needed, String what, String fix) throws CheckpointException {
    OptionalLong have = available.get();
    if (have.isPresent() && needed > have.getAsLong()) {
      throw new InsufficientMemoryException(what + " needs " + gigabytes(needed) + " of memory for its weights, but "
          + gigabytes(have.getAsLong()) + " is available (" + source + "); " + fix, needed, have.getAsLong());
    }
  }

  /**
   * {@return {@code bytes} in gigabytes (10^9), two decimals, for messages}
   *
   * @param bytes a byte count
   */
  public static String gigabytes(long bytes) {
    return String.format(Locale.ROOT, "%.2f GB", bytes / 1e9);
  }

  /** MemAvailable, bounded by the cgroup v2 (or v1) limit less its usage; empty where none can be read. */
  private static OptionalLong linuxAvailable() {
    OptionalLong meminfo = meminfoAvailable(Path.of("/proc/meminfo"));
    OptionalLong cgroup = cgroupAvailable();
    if (meminfo.isPresent() && cgroup.isPresent()) {
      return OptionalLong.of(Math.min(meminfo.getAsLong(), cgroup.getAsLong()));
    }
    return meminfo.isPresent() ? meminfo : cgroup;
  }

  static OptionalLong meminfoAvailable(Path meminfo) {
    try {
      for (String line : Files.readAllLines(meminfo)) {
        if (line.startsWith("MemAvailable:")) {
          String[] parts = line.trim().split("\\s+");
          return OptionalLong.of(Long.parseLong(parts[1]) * 1024);
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or an unreadable /proc: no figure, nothing refused
    }
    return OptionalLong.empty();
  }

  /** The cgroup's limit less what it uses, reclaimable page cache ({@code inactive_file}) counted as free. */
  private static OptionalLong cgroupAvailable() {
    String[][] layouts = {
      {"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory.current", "/sys/fs/cgroup/memory.stat", "inactive_file"},
      {"/sys/fs/cgroup/memory/memory.limit_in_bytes", "/sys/fs/cgroup/memory/memory.usage_in_bytes",
        "/sys/fs/cgroup/memory/memory.stat", "total_inactive_file"}};
    for (String[] files : layouts) {
      try {
        String limit = Files.readString(Path.of(files[0])).trim();
        if (limit.equals("max")) {
          return OptionalLong.empty();
        }
        long max = Long.parseLong(limit);
        if (max >= Long.MAX_VALUE / 2) {
          return OptionalLong.empty(); // cgroup v1's "no limit"
        }
        long used = Long.parseLong(Files.readString(Path.of(files[1])).trim());
        long reclaimable = 0;
        for (String line : Files.readAllLines(Path.of(files[2]))) {
          if (line.startsWith(files[3] + " ")) {
            reclaimable = Long.parseLong(line.substring(files[3].length() + 1).trim());
          }
        }
        return OptionalLong.of(Math.max(0, max - used + reclaimable));
      } catch (IOException | RuntimeException e) {
        // try the other layout
      }
    }
    return OptionalLong.empty();
  }
}
