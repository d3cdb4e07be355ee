package org.cleft.data.tokenize;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.nio.file.Path;
import java.security.Permission;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Run in a fresh JVM by {@link OfflineTokenizerTest}: records every host the process connects to (a security
 * manager sees each socket connect before it happens; DJL's HTTP calls bypass proxy selectors), creates a
 * tokenizer, waits, and prints them.
 * With {@code --raw} it creates DJL's tokenizer directly, as an application without cleft would: the control
 * that shows the probe sees DJL's call home.
 */
public final class OfflineProbe {
  private OfflineProbe() {}

  /**
   * Probes.
   *
   * @param args the text tower folder, optionally {@code --raw}
   * @throws Exception when the tokenizer cannot be made
   */
  @SuppressWarnings("removal") // the security manager is the one hook that sees every connect on Java 17-23
  public static void main(String[] args) throws Exception {
    List<String> asked = new CopyOnWriteArrayList<>();
    System.setSecurityManager(new SecurityManager() {
      @Override
      public void checkPermission(Permission perm) {}

      @Override
      public void checkPermission(Permission perm, Object context) {}

      @Override
      public void checkConnect(String host, int port) {
        if (port >= 0) {
          asked.add(host + ":" + port);
        }
      }

      @Override
      public void checkConnect(String host, int port, Object context) {
        checkConnect(host, port);
      }
    });
    Path text = Path.of(args[0]);
    if (args.length > 1 && args[1].equals("--raw")) {
      try (HuggingFaceTokenizer t = HuggingFaceTokenizer.newInstance(text.resolve("tokenizer.json"), Map.of())) {
        t.encode("edema");
      }
    } else {
      try (HfTextTokenizer t = TextTokenizers.fromDirectory(text)) {
        t.ids("edema");
      }
    }
    Thread.sleep(2000); // DJL may call home from a thread of its own
    System.out.println("asked=" + asked);
  }
}
