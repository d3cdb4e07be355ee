package org.cleft.api.spi;

import java.util.Iterator;
import java.util.ServiceLoader;

/** The {@link ImagePreprocessor} found once through {@link ServiceLoader}, or null. */
final class FoundPreprocessor {
  static final ImagePreprocessor INSTANCE = load();

  private FoundPreprocessor() {}

  private static ImagePreprocessor load() {
    Iterator<ImagePreprocessor> found = ServiceLoader.load(ImagePreprocessor.class).iterator();
    return found.hasNext() ? found.next() : null;
  }
}
