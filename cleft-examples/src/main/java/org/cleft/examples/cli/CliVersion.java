package org.cleft.examples.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** The version {@code cleft --version} prints, read from the build-filtered {@code version.properties}. */
public final class CliVersion implements IVersionProvider {
  /** Creates the provider (picocli instantiates it). */
  public CliVersion() {}

  /**
   * The version lines.
   *
   * @return {@code cleft <version>} and the Java runtime
   */
  @Override
  public String[] getVersion() {
    return new String[] {"cleft " + projectVersion(),
        "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"};
  }

  /**
   * The project version this build was made from.
   *
   * @return the version, or {@code unknown} when the resource is missing
   */
  public static String projectVersion() {
    try (InputStream in = CliVersion.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
