package org.cleft.data.dicom;

/**
 * One frame of RLE Lossless pixel data (PS3.5 annex G), decoded to native little-endian, sample-interleaved
 * bytes: a 64-byte header of segment offsets, then one PackBits segment per byte of each sample, most significant
 * byte first.
 */
final class RleFrames {
  private RleFrames() {}

  static byte[] decodeFrame(DicomDataset ds, int index, int frames, int rows, int cols, int samples,
      int bitsAllocated) {
    byte[] frame = EncapsulatedFrames.frame(ds, index, frames, false);
    if (frame.length < 64) {
      throw new DicomFormatException(ds.file(), "RLE frame of " + frame.length + " bytes has no 64-byte header");
    }
    int segments = u32(frame, 0);
    int bytesPerSample = bitsAllocated / 8;
    if (bitsAllocated % 8 != 0 || segments != samples * bytesPerSample || segments < 1 || segments > 15) {
      throw new DicomFormatException(ds.file(), "RLE header names " + segments + " segments; " + samples
          + " samples of " + bitsAllocated + " bits need " + samples * bytesPerSample);
    }
    int pixels = rows * cols;
    byte[] out = new byte[pixels * samples * bytesPerSample];
    for (int s = 0; s < segments; s++) {
      int start = u32(frame, 4 + 4 * s);
      int end = s + 1 < segments ? u32(frame, 8 + 4 * s) : frame.length;
      if (start < 64 || end > frame.length || start > end) {
        throw new DicomFormatException(ds.file(), "RLE segment " + s + " lies at bytes " + start + ".." + end
            + " of a frame of " + frame.length);
      }
      int sample = s / bytesPerSample;
      int significance = bytesPerSample - 1 - s % bytesPerSample; // segment 0 of a sample: its most significant byte
      int stride = samples * bytesPerSample;
      int offset = sample * bytesPerSample + significance;
      unpack(ds, frame, start, end, out, offset, stride, pixels, s);
    }
    return out;
  }

  /** PackBits: n in 0..127 copies n+1 bytes, n in -127..-1 repeats the next byte 1-n times, -128 is a no-op. */
  private static void unpack(DicomDataset ds, byte[] in, int from, int to, byte[] out, int offset, int stride,
      int count, int segment) {
    int i = from;
    int done = 0;
    while (done < count && i < to) {
      int n = in[i++];
      if (n >= 0) {
        int run = n + 1;
        if (i + run > to) {
          run = to - i; // a short literal at the segment's end: keep what is there
        }
        for (int k = 0; k < run && done < count; k++) {
          out[offset + done++ * stride] = in[i + k];
        }
        i += n + 1;
      } else if (n != -128) {
        if (i >= to) {
          break;
        }
        byte b = in[i++];
        for (int k = 0; k < 1 - n && done < count; k++) {
          out[offset + done++ * stride] = b;
        }
      }
    }
    if (done < count) {
      throw new DicomFormatException(ds.file(), "RLE segment " + segment + " ends after " + done + " of " + count
          + " values (truncated pixel data)");
    }
  }

  private static int u32(byte[] b, int at) {
    return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
  }
}
