package org.cleft.examples.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * An x-y plot on a white canvas: a data rectangle with ticks and labels, lines, and a legend. Owns its
 * image and graphics; {@link #write} disposes the graphics. Package-private drawing helper of {@link Charts}.
 */
final class Plot {
  /** A fixed palette (matplotlib's tab10), so that the same chart always gets the same colours. */
  static final List<Color> PALETTE = List.of(new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
      new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
      new Color(0xbcbd22), new Color(0x17becf));
  private static final int LEFT = 80;
  private static final int RIGHT = 30;
  private static final int TOP = 50;
  private static final int BOTTOM = 60;

  private final BufferedImage image;
  private final Graphics2D g;
  private final double xMin;
  private final double xMax;
  private final double yMin;
  private final double yMax;

  Plot(int width, int height, double xMin, double xMax, double yMin, double yMax) {
    this.image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    this.g = canvas(image);
    this.xMin = xMin;
    this.xMax = xMax > xMin ? xMax : xMin + 1;
    this.yMin = yMin;
    this.yMax = yMax > yMin ? yMax : yMin + 1;
  }

  /** A white canvas with antialiasing and a fixed font. */
  static Graphics2D canvas(BufferedImage image) {
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, image.getWidth(), image.getHeight());
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    return g;
  }

  /** The pixel column of data value {@code x}. */
  double px(double x) {
    return LEFT + (x - xMin) / (xMax - xMin) * (image.getWidth() - LEFT - RIGHT);
  }

  /** The pixel row of data value {@code y}. */
  double py(double y) {
    return image.getHeight() - BOTTOM - (y - yMin) / (yMax - yMin) * (image.getHeight() - TOP - BOTTOM);
  }

  /** Title, axis labels, the frame, grid lines and tick labels at "nice" values. */
  void axes(String title, String xLabel, String yLabel) {
    int w = image.getWidth();
    int h = image.getHeight();
    g.setColor(new Color(0xeeeeee));
    g.setStroke(new BasicStroke(1f));
    for (double t : ticks(xMin, xMax)) {
      g.drawLine((int) Math.round(px(t)), TOP, (int) Math.round(px(t)), h - BOTTOM);
    }
    for (double t : ticks(yMin, yMax)) {
      g.drawLine(LEFT, (int) Math.round(py(t)), w - RIGHT, (int) Math.round(py(t)));
    }
    g.setColor(Color.BLACK);
    g.drawRect(LEFT, TOP, w - LEFT - RIGHT, h - TOP - BOTTOM);
    FontMetrics fm = g.getFontMetrics();
    for (double t : ticks(xMin, xMax)) {
      String s = format(t);
      g.drawString(s, (float) (px(t) - fm.stringWidth(s) / 2.0), h - BOTTOM + fm.getAscent() + 4);
    }
    for (double t : ticks(yMin, yMax)) {
      String s = format(t);
      g.drawString(s, LEFT - fm.stringWidth(s) - 6, (float) (py(t) + fm.getAscent() / 2.0 - 2));
    }
    g.drawString(xLabel, (w - fm.stringWidth(xLabel)) / 2f, h - 18);
    AffineTransform saved = g.getTransform();
    g.rotate(-Math.PI / 2);
    g.drawString(yLabel, -(h + fm.stringWidth(yLabel)) / 2f, 20);
    g.setTransform(saved);
    title(g, title, w);
  }

  /** Draws a title centred at the top. */
  static void title(Graphics2D g, String title, int width) {
    Font font = g.getFont();
    g.setFont(font.deriveFont(Font.BOLD, 16f));
    g.setColor(Color.BLACK);
    g.drawString(title, (width - g.getFontMetrics().stringWidth(title)) / 2f, 30);
    g.setFont(font);
  }

  /** A polyline through the data points, clipped to the data rectangle. */
  void line(double[] xs, double[] ys, Color color, float width, boolean dashed) {
    Path2D.Double path = new Path2D.Double();
    for (int i = 0; i < xs.length; i++) {
      if (i == 0) {
        path.moveTo(px(xs[i]), py(ys[i]));
      } else {
        path.lineTo(px(xs[i]), py(ys[i]));
      }
    }
    g.setClip(LEFT, TOP, image.getWidth() - LEFT - RIGHT, image.getHeight() - TOP - BOTTOM);
    g.setColor(color);
    g.setStroke(dashed ? new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
        new float[] {6f, 5f}, 0f) : new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    g.draw(path);
    g.setClip(null);
  }

  /** A legend box in the lower-right (or upper-right) corner of the data rectangle. */
  void legend(List<String> entries, List<Color> colors, boolean top) {
    FontMetrics fm = g.getFontMetrics();
    int width = entries.stream().mapToInt(fm::stringWidth).max().orElse(0) + 40;
    int rowHeight = fm.getHeight() + 2;
    int height = entries.size() * rowHeight + 10;
    int x = image.getWidth() - RIGHT - width - 10;
    int y = top ? TOP + 10 : image.getHeight() - BOTTOM - height - 10;
    g.setColor(new Color(255, 255, 255, 230));
    g.fillRect(x, y, width, height);
    g.setColor(Color.GRAY);
    g.setStroke(new BasicStroke(1f));
    g.drawRect(x, y, width, height);
    for (int i = 0; i < entries.size(); i++) {
      int rowY = y + 5 + i * rowHeight + fm.getAscent();
      g.setColor(colors.get(i));
      g.setStroke(new BasicStroke(3f));
      g.drawLine(x + 8, rowY - fm.getAscent() / 2 + 1, x + 28, rowY - fm.getAscent() / 2 + 1);
      g.setColor(Color.BLACK);
      g.drawString(entries.get(i), x + 34, rowY);
    }
  }

  /** Writes the PNG (creating parent folders) and releases the graphics. */
  void write(Path png) throws IOException {
    writePng(image, g, png);
  }

  /** Writes {@code image} as PNG, disposing {@code g} first. */
  static void writePng(BufferedImage image, Graphics2D g, Path png) throws IOException {
    g.dispose();
    Path parent = png.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    if (!ImageIO.write(image, "png", png.toFile())) {
      throw new IOException(png + ": no PNG writer available");
    }
  }

  /** Tick values at 1, 2 or 5 times a power of ten, about five to ten of them. */
  static double[] ticks(double min, double max) {
    double span = max - min;
    double raw = span / 6;
    double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
    double step = magnitude;
    for (double m : new double[] {1, 2, 5, 10}) {
      if (m * magnitude >= raw) {
        step = m * magnitude;
        break;
      }
    }
    double first = Math.ceil(min / step - 1e-9) * step;
    int count = (int) Math.floor((max - first) / step + 1e-9) + 1;
    double[] out = new double[Math.max(0, count)];
    for (int i = 0; i < out.length; i++) {
      out[i] = first + i * step;
    }
    return out;
  }

  private static String format(double v) {
    if (Math.abs(v) < 1e-12) {
      return "0";
    }
    if (Math.abs(v) >= 10_000 || Math.abs(v) < 0.001) {
      return String.format(Locale.ROOT, "%.1e", v);
    }
    String s = String.format(Locale.ROOT, "%.4f", v).replaceAll("0+$", "");
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }
}
