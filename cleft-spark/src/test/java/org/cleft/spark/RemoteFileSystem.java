package org.cleft.spark;

import java.net.URI;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * Tests: the local disk under another scheme, {@code cleftremote:///tmp/a.png}, standing for a file system the
 * decoders cannot open (HDFS, S3), which cleft-spark reads through Hadoop.
 */
public final class RemoteFileSystem extends RawLocalFileSystem {
  /** The scheme. */
  public static final String SCHEME = "cleftremote";

  @Override
  public URI getUri() {
    return URI.create(SCHEME + ":///");
  }

  @Override
  public String getScheme() {
    return SCHEME;
  }
}
