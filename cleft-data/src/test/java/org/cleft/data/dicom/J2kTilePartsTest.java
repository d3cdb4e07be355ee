package org.cleft.data.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

/** The tile-part count repair on hand-assembled marker segments (the decoding itself is in InteropDicomTest). */
class J2kTilePartsTest {

  @Test
  void countsOneShortAreSetToTheTilePartsPresent() {
    byte[] stream = codestream(new int[][] {{0, 0, 1}, {1, 0, 1}, {0, 1, 1}, {1, 1, 1}}, true);
    byte[] fixed = J2kTileParts.repaired(stream);
    assertThat(fixed).isNotSameAs(stream);
    assertThat(stream[tilePart(0) + 11]).as("the input is not changed").isEqualTo((byte) 1);
    for (int i = 0; i < 4; i++) {
      assertThat(fixed[tilePart(i) + 11]).as("TNsot of tile-part " + i).isEqualTo((byte) 2);
    }
  }

  @Test
  void rightCountsUnknownCountsAndStreamsThatCannotBeWalkedAreLeftAlone() {
    byte[] right = codestream(new int[][] {{0, 0, 2}, {0, 1, 2}}, true);
    assertThat(J2kTileParts.repaired(right)).isSameAs(right);
    byte[] unknown = codestream(new int[][] {{0, 0, 0}, {0, 1, 0}}, true);
    assertThat(J2kTileParts.repaired(unknown)).isSameAs(unknown);
    byte[] noEnd = codestream(new int[][] {{0, 0, 1}, {0, 1, 1}}, false);
    assertThat(J2kTileParts.repaired(noEnd)).as("no EOC after the tile-parts").isSameAs(noEnd);
    byte[] toTheEnd = codestream(new int[][] {{0, 0, 1}, {0, 1, 1}}, true);
    toTheEnd[tilePart(1) + 6] = toTheEnd[tilePart(1) + 7] = toTheEnd[tilePart(1) + 8] = toTheEnd[tilePart(1) + 9] = 0;
    assertThat(J2kTileParts.repaired(toTheEnd)).as("a Psot of 0").isSameAs(toTheEnd);
    assertThat(J2kTileParts.repaired(new byte[] {1, 2, 3})).as("not a codestream").hasSize(3);
  }

  private static final int HEADER = 2 + 6 + 6; // SOC, a 6-byte SIZ stand-in, a 6-byte COM

  private static int tilePart(int i) {
    return HEADER + 20 * i;
  }

  /** SOC, SIZ and COM stand-ins, then tile-parts {tile, part index, TNsot} of 20 bytes each, then EOC. */
  private static byte[] codestream(int[][] parts, boolean eoc) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0xFF, 0x4F, (byte) 0xFF, 0x51, 0, 4, 0, 0, (byte) 0xFF, 0x64, 0, 4, 0, 0});
    for (int[] p : parts) {
      out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0x90, 0, 10, 0, (byte) p[0], 0, 0, 0, 20, (byte) p[1],
          (byte) p[2], (byte) 0xFF, (byte) 0x93, 1, 2, 3, 4, 5, 6});
    }
    if (eoc) {
      out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xD9});
    }
    return out.toByteArray();
  }
}
