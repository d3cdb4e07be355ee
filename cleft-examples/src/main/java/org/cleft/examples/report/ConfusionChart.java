package org.cleft.examples.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.cleft.api.metrics.ConfusionMatrix;

/** Draws a confusion matrix heat map; package-private helper of {@link Charts}. */
final class ConfusionChart {
  private static final Color LOW = Color.WHITE;
  private static final Color HIGH = new Color(0x08306b);
  private static final int LEFT = 150;
  private static final int TOP = 60;
  private static final int BOTTOM = 130;
  private static final int BAR = 70;

  private ConfusionChart() {}

  static void draw(List<String> names, ConfusionMatrix m, int size, Path png) throws IOException {
    BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = Plot.canvas(image);
    int k = m.size();
    int grid = Math.min(size - LEFT - BAR - 20, size - TOP - BOTTOM);
    double cell = (double) grid / k;
    long max = 1;
    for (long[] row : m.counts()) {
      for (long v : row) {
        max = Math.max(max, v);
      }
    }
    g.setFont(g.getFont().deriveFont(Font.PLAIN, (float) Math.max(9, Math.min(16, cell / 4))));
    FontMetrics fm = g.getFontMetrics();
    for (int t = 0; t < k; t++) {
      for (int p = 0; p < k; p++) {
        long v = m.count(t, p);
        double f = (double) v / max;
        int x = (int) Math.round(LEFT + p * cell);
        int y = (int) Math.round(TOP + t * cell);
        int w = (int) Math.round(LEFT + (p + 1) * cell) - x;
        int h = (int) Math.round(TOP + (t + 1) * cell) - y;
        g.setColor(mix(f));
        g.fillRect(x, y, w, h);
        g.setColor(f > 0.5 ? Color.WHITE : Color.BLACK);
        String s = Long.toString(v);
        g.drawString(s, x + (w - fm.stringWidth(s)) / 2f, y + (h + fm.getAscent() - fm.getDescent()) / 2f);
      }
    }
    g.setColor(Color.GRAY);
    g.setStroke(new BasicStroke(1f));
    g.drawRect(LEFT, TOP, (int) Math.round(k * cell), (int) Math.round(k * cell));
    labels(g, names, cell, grid);
    colourBar(g, max, LEFT + grid + 25, grid);
    Plot.title(g, "Confusion matrix", size);
    Plot.writePng(image, g, png);
  }

  private static void labels(Graphics2D g, List<String> names, double cell, int grid) {
    g.setFont(g.getFont().deriveFont(Font.PLAIN, 12f));
    g.setColor(Color.BLACK);
    FontMetrics fm = g.getFontMetrics();
    for (int i = 0; i < names.size(); i++) {
      String name = fit(names.get(i), fm, LEFT - 12);
      g.drawString(name, LEFT - 6 - fm.stringWidth(name), (float) (TOP + (i + 0.5) * cell + fm.getAscent() / 2.0 - 2));
      AffineTransform saved = g.getTransform();
      g.translate(LEFT + (i + 0.5) * cell + fm.getAscent() / 2.0 - 2, TOP + grid + 6);
      g.rotate(Math.PI / 2);
      g.drawString(fit(names.get(i), fm, BOTTOM - 40), 0, 0);
      g.setTransform(saved);
    }
    String pred = "predicted";
    g.drawString(pred, LEFT + (grid - fm.stringWidth(pred)) / 2f, TOP + grid + BOTTOM - 12);
    AffineTransform saved = g.getTransform();
    g.rotate(-Math.PI / 2);
    g.drawString("true", -(TOP + grid / 2f + fm.stringWidth("true") / 2f), 16);
    g.setTransform(saved);
  }

  private static void colourBar(Graphics2D g, long max, int x, int height) {
    for (int y = 0; y < height; y++) {
      g.setColor(mix(1 - (double) y / (height - 1)));
      g.fillRect(x, TOP + y, 18, 1);
    }
    g.setColor(Color.GRAY);
    g.drawRect(x, TOP, 18, height);
    g.setColor(Color.BLACK);
    FontMetrics fm = g.getFontMetrics();
    g.drawString(Long.toString(max), x + 22, TOP + fm.getAscent());
    g.drawString("0", x + 22, TOP + height);
  }

  /** The colour of a cell filled to fraction {@code f} of the largest count. */
  private static Color mix(double f) {
    return new Color(channel(LOW.getRed(), HIGH.getRed(), f), channel(LOW.getGreen(), HIGH.getGreen(), f),
        channel(LOW.getBlue(), HIGH.getBlue(), f));
  }

  private static int channel(int a, int b, double f) {
    return (int) Math.round(a + (b - a) * f);
  }

  /** The name, shortened with an ellipsis to fit {@code width} pixels. */
  private static String fit(String name, FontMetrics fm, int width) {
    if (fm.stringWidth(name) <= width) {
      return name;
    }
    String s = name;
    while (s.length() > 1 && fm.stringWidth(s + "…") > width) {
      s = s.substring(0, s.length() - 1);
    }
    return s + "…";
  }
}
