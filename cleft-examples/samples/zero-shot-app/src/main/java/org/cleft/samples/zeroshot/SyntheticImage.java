package org.cleft.samples.zeroshot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import org.cleft.data.synthetic.ChestXrayGenerator;
import org.cleft.data.synthetic.Finding;
import org.cleft.data.synthetic.SyntheticChestXrays;

/**
 * Writes one synthetic frontal chest X-ray as PNG, so that {@link ZeroShotApp} can be tried without
 * any data.
 */
public final class SyntheticImage {
  private SyntheticImage() {}

  /**
   * Writes the image.
   *
   * @param args {@code OUT.png [FINDING...]}: findings by enum name ({@code CARDIOMEGALY},
   *     {@code PLEURAL_EFFUSION}, ...); none draws a chest without findings
   * @throws IOException when the file cannot be written
   */
  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: SyntheticImage OUT.png [FINDING...]");
      System.exit(2);
    }
    Set<Finding> findings = EnumSet.noneOf(Finding.class);
    for (int i = 1; i < args.length; i++) {
      findings.add(Finding.valueOf(args[i]));
    }
    Path out = Path.of(args[0]);
    SyntheticChestXrays.writePng(new ChestXrayGenerator().generate(findings, 7).image(), out);
    System.out.println("wrote " + out + " with findings " + findings);
  }
}
