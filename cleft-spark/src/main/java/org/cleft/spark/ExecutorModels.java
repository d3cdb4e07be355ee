package org.cleft.spark;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.cleft.api.Backends;
import org.cleft.api.CleftModel;
import org.cleft.api.Device;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.spi.BackendOptions;

/**
 * The models of this JVM (an executor, or the driver in local mode): one per checkpoint, backend and options,
 * loaded on first use by whichever task asks first while the others wait, and closed when the JVM shuts down. Tasks
 * of one executor share it, as the backends' models are thread-safe.
 */
final class ExecutorModels {
  private static final Map<ModelKey, CleftModel> MODELS = new ConcurrentHashMap<>();
  private static final AtomicInteger LOADS = new AtomicInteger();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(ExecutorModels::closeAll, "cleft-spark-models"));
  }

  private ExecutorModels() {}

  /**
   * What identifies a model: the checkpoint, the backend's name, the device ({@link Device#toString()}) and the
   * backend's options.
   */
  record ModelKey(String checkpoint, String backend, String device, Map<String, String> extra)
      implements Serializable {
    ModelKey {
      Device.parse(device); // refused on the driver, not on every executor
      extra = Map.copyOf(extra);
    }

    /** {@return the options the backend loads the model with} */
    BackendOptions options() {
      BackendOptions d = BackendOptions.defaults();
      return new BackendOptions(Device.parse(device), d.precision(), extra, d.frozenWeights());
    }
  }

  /**
   * This JVM's model for the key, loaded now if no task loaded it yet.
   *
   * @param key the model
   * @param onLoad run once, when this call is the one that loads it
   * @return the shared model (not to be closed by the caller)
   */
  static CleftModel get(ModelKey key, Runnable onLoad) {
    return MODELS.computeIfAbsent(key, k -> {
      try {
        CleftModel model = Backends.load(Path.of(k.checkpoint()), k.backend(), k.options());
        LOADS.incrementAndGet();
        onLoad.run();
        return model;
      } catch (CheckpointException e) {
        throw new IllegalStateException("cannot load the checkpoint " + k.checkpoint() + " on backend " + k.backend()
            + " (" + k.device() + "): " + e.getMessage(), e);
      }
    });
  }

  /** {@return how many models this JVM has loaded} */
  static int loads() {
    return LOADS.get();
  }

  /** Closes every model (the shutdown hook; tests call it between sessions). */
  static synchronized void closeAll() {
    for (CleftModel m : MODELS.values()) {
      try {
        m.close();
      } catch (RuntimeException e) {
        // shutting down: nothing more to do with a model that fails to close
      }
    }
    MODELS.clear();
  }
}
