package org.cleft.data.image;

import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataFormatImpl;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import org.w3c.dom.Node;

/**
 * Grey from a JPEG as libjpeg's grey output gives it (what OpenCV asks for): the luma channel of a
 * YCbCr image, without a round trip through RGB. CMYK and YCCK JPEGs (Adobe files, some scanners), which the
 * JDK's reader decodes with wrong colours, are decoded by TwelveMonkeys' JPEG reader (a dependency of
 * cleft-data) to RGB and then made grey like any colour image; package-private helper.
 */
final class JpegGrey {
  private JpegGrey() {}

  static UInt8Image read(ImageReader reader, ImageInputStream stream, Path file) throws IOException {
    String colourSpace = colourSpace(reader.getImageMetadata(0));
    if ("CMYK".equals(colourSpace) || "YCCK".equals(colourSpace)) {
      return fourChannel(stream, colourSpace, file);
    }
    if (!"YCbCr".equals(colourSpace) && !"GRAY".equals(colourSpace)) {
      return ImageDecoder.toGrey(reader.read(0), file); // RGB: through the colour model
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

  /** A CMYK or YCCK JPEG through TwelveMonkeys' reader (inversion, YCCK and any embedded ICC profile handled). */
  private static UInt8Image fourChannel(ImageInputStream stream, String colourSpace, Path file) throws IOException {
    for (Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName("jpeg"); it.hasNext();) {
      ImageReader other = it.next();
      if (other.getClass().getName().startsWith("com.sun.imageio.")) {
        other.dispose();
        continue;
      }
      try {
        stream.seek(0);
        other.setInput(stream, true, true);
        return ImageDecoder.toGrey(other.read(0), file);
      } finally {
        other.dispose();
      }
    }
    throw new ImageDecodeException(file, "a " + colourSpace + " JPEG needs TwelveMonkeys' imageio-jpeg on the class "
        + "path (a dependency of cleft-data; was it excluded?)", null);
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
