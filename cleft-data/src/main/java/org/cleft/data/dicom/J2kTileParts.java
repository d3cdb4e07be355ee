package org.cleft.data.dicom;

import java.util.HashMap;
import java.util.Map;

/**
 * Repairs one encoder bug in JPEG 2000 codestreams before jj2000 reads them: a tile-part count (TNsot, the last byte
 * of each SOT marker segment, ISO 15444-1 A.4.2) one short of the tile-parts actually written. OpenJPEG 1.x, inside
 * GDCM 2.0, wrote it so when it split tiles by resolution (pydicom's {@code GDCMJ2K_TextGBR.dcm}). OpenJPEG and
 * FFmpeg read on to the next tile-part; jj2000 trusts the count and drops the last tile-part, the finest resolution,
 * which blurs edges by up to 108 grey levels. Each tile's count is set to the tile-parts found; any codestream whose
 * tile-parts cannot be walked exactly (a Psot of 0, a length past the end, a marker other than SOT between them) is
 * left as it is.
 */
final class J2kTileParts {
  private static final int SOC = 0xFF4F;
  private static final int SIZ = 0xFF51;
  private static final int SOT = 0xFF90;
  private static final int EOC = 0xFFD9;

  private J2kTileParts() {
  }

  /**
   * The frame with every TNsot that disagrees with the tile-parts present set to their number.
   *
   * @param frame a JPEG 2000 frame: a bare codestream or one inside JP2 boxes; not changed
   * @return {@code frame} itself when its counts are right or it cannot be walked, else a repaired copy
   */
  static byte[] repaired(byte[] frame) {
    byte[] copy = frame.clone();
    return repairCounts(copy) == 0 ? frame : copy;
  }

  /** Repairs the counts in place; returns how many SOT markers were changed. */
  static int repairCounts(byte[] frame) {
    int start = codestreamStart(frame);
    if (start < 0) {
      return 0;
    }
    int at = start + 2;
    while (at + 4 <= frame.length && u16(frame, at) != SOT) { // main header: marker segments up to the first SOT
      int marker = u16(frame, at);
      if ((marker & 0xFF00) != 0xFF00) {
        return 0;
      }
      at += 2 + u16(frame, at + 2);
    }
    int first = at;
    Map<Integer, Integer> found = new HashMap<>();
    while (at + 12 <= frame.length && u16(frame, at) == SOT) {
      long psot = u32(frame, at + 6);
      if (psot < 14 || at + psot > frame.length) {
        return 0; // 0 means "to the end of the codestream": nothing to count after it
      }
      found.merge(u16(frame, at + 4), 1, Integer::sum);
      at += (int) psot;
    }
    if (at + 2 > frame.length || u16(frame, at) != EOC) {
      return 0;
    }
    int changed = 0;
    for (int p = first; p < at; p += (int) u32(frame, p + 6)) {
      int tile = u16(frame, p + 4);
      int count = frame[p + 11] & 0xFF;
      if (count != 0 && count != found.get(tile) && found.get(tile) <= 255) {
        frame[p + 11] = (byte) (int) found.get(tile);
        changed++;
      }
    }
    return changed;
  }

  /** The offset of SOC followed by SIZ: 0 for a bare codestream, inside the jp2c box for a JP2 file. */
  private static int codestreamStart(byte[] b) {
    for (int i = 0; i + 4 <= b.length; i++) {
      if (u16(b, i) == SOC && u16(b, i + 2) == SIZ) {
        return i;
      }
    }
    return -1;
  }

  private static int u16(byte[] b, int at) {
    return (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
  }

  private static long u32(byte[] b, int at) {
    return (long) u16(b, at) << 16 | u16(b, at + 2);
  }
}
