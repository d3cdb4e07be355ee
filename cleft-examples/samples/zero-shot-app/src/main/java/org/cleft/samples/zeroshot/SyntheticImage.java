package org.cleft.samples.zeroshot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import org.cleft.data.dicom.DicomTag;
import org.cleft.data.dicom.DicomWriter;
import org.cleft.data.dicom.TransferSyntax;
import org.cleft.data.image.UInt8Image;
import org.cleft.data.synthetic.ChestXrayGenerator;
import org.cleft.data.synthetic.Finding;
import org.cleft.data.synthetic.SyntheticChestXrays;

/**
 * Writes one synthetic frontal chest X-ray twice, as PNG and as a JPEG-compressed DICOM file (as a PACS sends
 * it), so that {@link ZeroShotApp} can be tried without any data.
 */
public final class SyntheticImage {
  private SyntheticImage() {}

  /**
   * Writes the images.
   *
   * @param args {@code OUT.png OUT.dcm [FINDING...]}: findings by enum name ({@code CARDIOMEGALY},
   *     {@code PLEURAL_EFFUSION}, ...); none draws a chest without findings
   * @throws IOException when a file cannot be written
   */
  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println("usage: SyntheticImage OUT.png OUT.dcm [FINDING...]");
      System.exit(2);
    }
    Set<Finding> findings = EnumSet.noneOf(Finding.class);
    for (int i = 2; i < args.length; i++) {
      findings.add(Finding.valueOf(args[i]));
    }
    UInt8Image chest = new ChestXrayGenerator().generate(findings, 7).image();
    Path png = Path.of(args[0]);
    SyntheticChestXrays.writePng(chest, png);
    Path dicom = new DicomWriter(TransferSyntax.JPEG_BASELINE).string(DicomTag.MODALITY, "CR")
        .grey8(chest.height(), chest.width(), chest.data()).write(Path.of(args[1]));
    System.out.println("wrote " + png + " and " + dicom + " with findings " + findings);
  }
}
