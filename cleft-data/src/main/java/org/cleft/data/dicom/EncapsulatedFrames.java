package org.cleft.data.dicom;

import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * One frame of encapsulated pixel data (PS3.5 A.4): the fragments between two entries of the basic offset table
 * when it has one per frame; else fragment {@code k} when there is one fragment per frame; else, for JPEG
 * streams, the fragments up to the {@code k+1}-th that ends with an EOI marker.
 */
final class EncapsulatedFrames {
  private EncapsulatedFrames() {}

  static byte[] frame(DicomDataset ds, int index, int frames, boolean jpegStream) {
    List<byte[]> fragments = ds.fragments();
    if (fragments.isEmpty()) {
      throw new DicomFormatException(ds.file(), "encapsulated (7FE0,0010) PixelData has no fragments");
    }
    long[] offsets = ds.frameOffsets();
    if (offsets.length == frames && frames > 1) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      long start = offsets[index];
      long end = index + 1 < frames ? offsets[index + 1] : Long.MAX_VALUE;
      long position = 0;
      for (byte[] f : fragments) {
        if (position >= start && position < end) {
          out.write(f, 0, f.length);
        }
        position += 8 + f.length;
      }
      return out.toByteArray();
    }
    if (!jpegStream) {
      // RLE: one fragment per frame (PS3.5 A.4.2)
      if (fragments.size() < frames) {
        throw new DicomFormatException(ds.file(), "encapsulated pixel data of " + frames + " frames has "
            + fragments.size() + " fragments and no usable basic offset table: cannot tell the frames apart");
      }
      return fragments.get(index);
    }
    if (frames > 1 && fragments.size() == frames) {
      return fragments.get(index);
    }
    return byEoi(ds, fragments, index);
  }

  /** The fragments of frame {@code index} when frames are told apart by the EOI ending each JPEG stream. */
  private static byte[] byEoi(DicomDataset ds, List<byte[]> fragments, int index) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int frame = 0;
    for (byte[] f : fragments) {
      if (frame == index) {
        out.write(f, 0, f.length);
      }
      if (endsWithEoi(f)) {
        if (frame == index) {
          return out.toByteArray();
        }
        frame++;
      }
    }
    if (frame == index && out.size() > 0) {
      return out.toByteArray(); // the frame lacks its EOI: the decoder reports the damage
    }
    throw new DicomFormatException(ds.file(), "encapsulated pixel data holds " + frame + " complete frames; frame "
        + index + " was asked for");
  }

  static boolean endsWithEoi(byte[] f) {
    int end = f.length;
    while (end > 0 && f[end - 1] == 0) {
      end--;
    }
    return end >= 2 && (f[end - 2] & 0xFF) == 0xFF && (f[end - 1] & 0xFF) == 0xD9;
  }
}
