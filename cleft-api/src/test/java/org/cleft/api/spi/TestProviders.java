package org.cleft.api.spi;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.cleft.api.Capability;
import org.cleft.api.CleftModel;

/** Providers registered in the test class path's META-INF/services, for the resolver tests. */
final class TestProviders {
  private TestProviders() {}

  abstract static class Base implements BackendProvider {
    private final String name;
    private final int priority;
    private final Set<Capability> caps;

    Base(String name, int priority, Set<Capability> caps) {
      this.name = name;
      this.priority = priority;
      this.caps = caps;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public int priority() {
      return priority;
    }

    @Override
    public Set<Capability> capabilities() {
      return caps;
    }

    @Override
    public Backend create(BackendOptions options) {
      return new Backend() {
        @Override
        public String name() {
          return name;
        }

        @Override
        public CleftModel load(Path checkpoint) {
          throw new UnsupportedOperationException("test backend " + name + " loads nothing");
        }

        @Override
        public void close() {}
      };
    }
  }

  /** Trains and infers, low priority. */
  public static final class Trainer extends Base {
    public Trainer() {
      super("trainer", 10, EnumSet.of(Capability.TRAINING, Capability.INFERENCE));
    }
  }

  /** Infers only, higher priority. */
  public static final class Inference extends Base {
    public Inference() {
      super("inference", 20, EnumSet.of(Capability.INFERENCE));
    }
  }

  /** Highest priority, but its native library is missing. */
  public static final class Broken extends Base {
    public Broken() {
      super("broken", 100, EnumSet.of(Capability.INFERENCE, Capability.GPU));
    }

    @Override
    public Optional<String> unavailableReason() {
      return Optional.of("native library libbroken.so not found");
    }
  }
}
