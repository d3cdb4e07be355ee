package org.cleft.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkPathsTest {
  @TempDir
  Path tmp;

  @Test
  void aPathColumnValueIsTheFileItSpellsUnescaped() {
    assertThat(SparkPaths.local("file:/scans/a b#1 100%.png")).isEqualTo(Path.of("/scans/a b#1 100%.png"));
    assertThat(SparkPaths.local("file:///scans/a.png")).isEqualTo(Path.of("/scans/a.png"));
    assertThat(SparkPaths.local("file://localhost/scans/a.png")).isEqualTo(Path.of("/scans/a.png"));
    assertThat(SparkPaths.local("/scans/a.png")).isEqualTo(Path.of("/scans/a.png"));
    assertThat(SparkPaths.local("scans/a.png")).isEqualTo(Path.of("scans/a.png"));
  }

  @Test
  void anEscapedUriIsTakenWhenNoFileHasTheNameAsWritten() throws Exception {
    Path file = Files.writeString(tmp.resolve("a b.png"), "x");
    String escaped = file.toUri().toString(); // file:///.../a%20b.png
    assertThat(escaped).contains("%20");
    assertThat(SparkPaths.local(escaped)).isEqualTo(file);
    Path literal = Files.writeString(tmp.resolve("c%20d.png"), "x"); // a name that holds "%20" itself
    assertThat(SparkPaths.local("file:" + literal)).isEqualTo(literal);
  }

  @Test
  void theColumnSpellingOfAUriIsHadoops() {
    assertThat(SparkPaths.column("file:///scans/a%20b%231.png")).isEqualTo("file:/scans/a b#1.png");
    assertThat(SparkPaths.column("hdfs://nn:8020/scans/a%20b.png")).isEqualTo("hdfs://nn:8020/scans/a b.png");
  }

  @Test
  void anotherFileSystemOrHostIsRefusedByName() {
    assertThatThrownBy(() -> SparkPaths.local("s3a://bucket/a.png")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("s3a://bucket/a.png").hasMessageContaining("local file system");
    assertThatThrownBy(() -> SparkPaths.local("file://pacs01/a.png")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pacs01");
  }
}
