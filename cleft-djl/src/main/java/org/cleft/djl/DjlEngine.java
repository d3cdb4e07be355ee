package org.cleft.djl;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cleft.api.CleftHome;
import org.cleft.api.Device;

/**
 * Process-wide DJL settings. cleft never lets DJL reach the network: offline mode is forced and
 * usage tracking (which otherwise calls a cloud metadata address at start-up) is turned off before
 * the PyTorch engine first loads.
 */
public final class DjlEngine {
  /** DJL's offline switch: never download natives or models. */
  public static final String OFFLINE = CleftHome.DJL_OFFLINE;
  /** DJL's usage-tracking opt-out. */
  public static final String OPT_OUT_TRACKING = CleftHome.DJL_OPT_OUT_TRACKING;

  private DjlEngine() {}

  /**
   * Applies the offline and cache settings ({@link CleftHome#configureEngines()}); idempotent and cheap.
   * Called before any DJL engine class is used.
   */
  public static void configureOffline() {
    CleftHome.configureEngines();
  }

  /** {@return whether {@link #configureOffline()} has run in this JVM} */
  public static boolean isConfigured() {
    return CleftHome.isConfigured();
  }

  /** {@return the PyTorch engine, loading its natives on first use (offline)} */
  public static Engine pytorch() {
    configureOffline();
    return Engine.getEngine("PyTorch");
  }

  /** {@return whether a CUDA device looks present, judged without loading native code} */
  public static boolean cudaDeviceVisible() {
    return Files.exists(Path.of("/dev/nvidia0")) || Files.exists(Path.of("/proc/driver/nvidia/version"));
  }

  /**
   * {@return the DJL device for a cleft device}
   *
   * @param device the cleft device
   * @throws IllegalStateException naming what is missing when CUDA was asked for explicitly and
   *     the engine has no GPU (the CPU natives from Maven Central have none)
   */
  public static ai.djl.Device device(Device device) {
    Engine engine = pytorch();
    int gpus = engine.getGpuCount();
    return switch (device.kind()) {
      case CPU -> ai.djl.Device.cpu();
      case AUTO -> gpus > 0 ? ai.djl.Device.gpu(0) : ai.djl.Device.cpu();
      case CUDA -> {
        if (device.index() >= gpus) {
          throw new IllegalStateException("djl: CUDA device " + device.index() + " requested but the PyTorch engine "
              + "sees " + gpus + " GPU(s). The CPU natives from Maven Central have no CUDA; install a CUDA build of "
              + "libtorch 2.7.1 and point PYTORCH_LIBRARY_PATH at it (see docs/backends.md)");
        }
        yield ai.djl.Device.gpu(device.index());
      }
    };
  }

  /**
   * {@return a new root manager on the PyTorch engine for a device}
   *
   * @param device the device arrays are created on
   */
  public static NDManager newManager(Device device) {
    return NDManager.newBaseManager(device(device), "PyTorch");
  }
}
