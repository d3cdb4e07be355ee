package org.cleft.examples.cli;

import java.util.List;
import org.cleft.api.Backends;
import org.cleft.api.Capability;
import org.cleft.api.Device;
import org.cleft.api.Precision;
import org.cleft.api.spi.Backend;
import org.cleft.api.spi.BackendOptions;
import org.cleft.api.spi.BackendProvider;
import org.cleft.api.spi.BackendResolver;
import org.cleft.api.spi.NoSuitableBackendException;

/** Opens the backend a training command asks for, with a one-line error listing the ones found. */
final class TrainingBackends {
  private TrainingBackends() {}

  static Backend open(String name, String device, Precision frozen) {
    Device d;
    try {
      d = Device.parse(device);
    } catch (IllegalArgumentException e) {
      throw new CliFailure("--device " + device + ": " + e.getMessage(), "use cpu, cuda:N or auto", e);
    }
    try {
      return Backends.open(Capability.TRAINING, name, BackendOptions.defaults().withDevice(d).withFrozenWeights(frozen));
    } catch (IllegalArgumentException e) {
      throw new CliFailure(e.getMessage(), "choose another --frozen-dtype (fp32 works everywhere)", e);
    } catch (NoSuitableBackendException e) {
      List<String> found = BackendResolver.fromServiceLoader().providers().stream().map(BackendProvider::name).toList();
      throw new CliFailure("backend '" + name + "' cannot train: " + e.getMessage(),
          "training needs cleft-djl on the class path; backends found: " + String.join(", ", found), e);
    }
  }
}
