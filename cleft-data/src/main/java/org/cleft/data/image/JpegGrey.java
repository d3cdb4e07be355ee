package org.cleft.data.image;

import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataFormatImpl;
import javax.imageio.metadata.IIOMetadataNode;
import java.awt.image.Raster;
import org.w3c.dom.Node;

/**
 * Grey from a JPEG as libjpeg's grey output gives it (what OpenCV asks for): the luma channel of a
 * YCbCr image, without a round trip through RGB; package-private helper.
 */
final class JpegGrey {
  private JpegGrey() {}

  static UInt8Image read(ImageReader reader, Path file) throws IOException {
    String colourSpace = colourSpace(reader.getImageMetadata(0));
    if (!"YCbCr".equals(colourSpace) && !"GRAY".equals(colourSpace)) {
      return ImageDecoder.toGrey(reader.read(0), file); // RGB, CMYK, YCCK: through the colour model
    }
    // readRaster skips colour conversion: band 0 is the grey or luma plane
    Raster raster = reader.readRaster(0, null);
    int w = raster.getWidth();
    int h = raster.getHeight();
    byte[] out = new byte[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        out[y * w + x] = (byte) raster.getSample(x + raster.getMinX(), y + raster.getMinY(), 0);
      }
    }
    return new UInt8Image(w, h, 1, out);
  }

  private static String colourSpace(IIOMetadata metadata) {
    if (metadata == null || !metadata.isStandardMetadataFormatSupported()) {
      return "";
    }
    Node root = metadata.getAsTree(IIOMetadataFormatImpl.standardMetadataFormatName);
    for (Node chroma = root.getFirstChild(); chroma != null; chroma = chroma.getNextSibling()) {
      if (!"Chroma".equals(chroma.getNodeName())) {
        continue;
      }
      for (Node n = chroma.getFirstChild(); n != null; n = n.getNextSibling()) {
        if ("ColorSpaceType".equals(n.getNodeName())) {
          return ((IIOMetadataNode) n).getAttribute("name");
        }
      }
    }
    return "";
  }
}
