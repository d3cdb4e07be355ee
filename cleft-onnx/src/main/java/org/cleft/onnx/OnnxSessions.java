package org.cleft.onnx;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.cleft.api.Device;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.checkpoint.MemoryBudget;
import org.cleft.api.spi.BackendOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens ONNX graphs as sessions on the backend's device. The device is resolved once: {@code cpu}
 * as is, {@code cuda:N} through the CUDA execution provider (failing with what is missing when it
 * cannot load), {@code auto} through CUDA device 0 when it loads and otherwise the CPU, with one
 * warning per backend.
 */
final class OnnxSessions {
  private static final Logger LOG = LoggerFactory.getLogger(OnnxSessions.class);
  private final boolean auto;
  private final OnnxOptions settings;
  private final AtomicBoolean warned = new AtomicBoolean();
  private volatile Device device;

  private OnnxSessions(Device device, boolean auto, OnnxOptions settings) {
    this.device = device;
    this.auto = auto;
    this.settings = settings;
  }

  /**
   * Validates the options and resolves the device, loading the ONNX Runtime natives.
   *
   * @throws IllegalArgumentException for an unknown or malformed {@code onnx.*} extra option
   * @throws IllegalStateException when an explicit CUDA device cannot be used
   */
  static OnnxSessions create(BackendOptions options) {
    OnnxOptions settings = OnnxOptions.parse(options.extra());
    Device requested = options.device();
    OnnxEnvironment.get();
    return switch (requested.kind()) {
      case CPU -> new OnnxSessions(Device.cpu(), false, settings);
      case CUDA -> {
        String failure = probeCuda(requested.index());
        if (failure != null) {
          throw new IllegalStateException(CudaDiagnosis.explain(requested.index(), failure));
        }
        yield new OnnxSessions(requested, false, settings);
      }
      case AUTO -> {
        OnnxSessions sessions = new OnnxSessions(Device.cuda(0), true, settings);
        String failure = probeCuda(0);
        if (failure != null) {
          sessions.fallBack(failure);
        }
        yield sessions;
      }
    };
  }

  /** Null when the CUDA execution provider loads for device {@code index}, else ONNX Runtime's message. */
  private static String probeCuda(int index) {
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.addCUDA(index);
      return null;
    } catch (OrtException | RuntimeException | UnsatisfiedLinkError e) {
      return String.valueOf(e.getMessage());
    }
  }

  private void fallBack(String failure) {
    device = Device.cpu();
    if (warned.compareAndSet(false, true)) {
      LOG.warn("onnx: device auto: CUDA is not usable ({}); running on the CPU. {}", oneLine(failure),
          CudaDiagnosis.REQUIREMENTS);
    }
  }

  private static String oneLine(String s) {
    return s.strip().replaceAll("\\s*\\R\\s*", " ");
  }

  /** The device sessions run on: CPU or one CUDA device (never AUTO). */
  Device device() {
    return device;
  }

  /**
   * Opens a graph file as a session. External weights ({@code *.onnx.data}) are found next to the file.
   *
   * @param file the graph
   * @param part what the graph is, for messages ("image encoder")
   * @throws CheckpointException naming the file when it is missing or ONNX Runtime cannot load it
   */
  OnnxGraph open(Path file, String part) throws CheckpointException {
    if (!Files.isRegularFile(file)) {
      throw new CheckpointException(file + ": ONNX " + part + " graph not found (write it with 'cleft export'; "
          + "see docs/backends.md)");
    }
    requireMemory(file, part);
    try {
      return new OnnxGraph(OnnxEnvironment.get(), createSession(file), file);
    } catch (OrtException e) {
      // a graph that fails for its own reasons is a checkpoint problem on any device
      boolean cuda = device.kind() == Device.Kind.CUDA
          && CudaDiagnosis.mentionsCuda(String.valueOf(e.getMessage()).replace(file.toString(), ""));
      if (auto && cuda) {
        fallBack(e.getMessage());
        try {
          return new OnnxGraph(OnnxEnvironment.get(), createSession(file), file);
        } catch (OrtException again) {
          e = again;
        }
      } else if (cuda) {
        throw new IllegalStateException(file + ": " + CudaDiagnosis.explain(device.index(), e.getMessage()), e);
      }
      throw new CheckpointException(file + ": ONNX Runtime cannot load the " + part + " graph: "
          + oneLine(String.valueOf(e.getMessage())), e);
    }
  }

  /** Refuses a graph whose weights (the file and its {@code .data} beside it) exceed the memory available. */
  private static void requireMemory(Path file, String part) throws CheckpointException {
    long bytes;
    try {
      Path data = file.resolveSibling(file.getFileName() + ".data");
      bytes = Files.size(file) + (Files.isRegularFile(data) ? Files.size(data) : 0);
    } catch (IOException e) {
      throw new CheckpointException(file + ": cannot read the graph's size: " + e.getMessage(), e);
    }
    MemoryBudget.system().require(bytes, "loading the ONNX " + part + " graph " + file,
        "free memory or use a larger machine (ONNX Runtime holds the graph's weights in memory)");
  }

  private OrtSession createSession(Path file) throws OrtException {
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      settings.applyTo(options);
      Device d = device;
      if (d.kind() == Device.Kind.CUDA) {
        options.addCUDA(d.index());
      }
      return OnnxEnvironment.get().createSession(file.toString(), options);
    }
  }

  /** Describes this device for messages. */
  @Override
  public String toString() {
    return device.toString();
  }
}
