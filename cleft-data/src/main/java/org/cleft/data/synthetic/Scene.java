package org.cleft.data.synthetic;

import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The anatomy of one case in canonical coordinates ({@code u} rightwards, {@code v} downwards, both
 * 0..1; the image's left lung is the patient's right), with the findings applied to its parameters.
 * {@link #density} gives the X-ray attenuation (0 dark air .. 1 bright bone) at a point.
 */
final class Scene {
  private static final double LUNG_TOP = 0.17;

  private final Set<Finding> findings;
  private final double[] lungCx = new double[2];
  private final double[] lungHalfWidth = new double[2];
  private final double[] dome = new double[2];
  private final double[] extraDensity = new double[2];
  private final double midline;
  private final double heartCx;
  private final double heartHalfWidth;
  private final double heartHalfHeight;
  private final int effusionSide;
  private final double effusionLevel;
  private final int consolidationSide;
  private final double consolidationHeight;
  private final int atelectasisSide;
  private final double[][] blobs;
  private final double ribPhase;

  Scene(Set<Finding> findings, Random r) {
    this.findings = findings;
    double spread = 0.18 + 0.015 * r.nextGaussian();
    double shift = 0;
    atelectasisSide = r.nextInt(2);
    if (findings.contains(Finding.ATELECTASIS)) {
      shift = atelectasisSide == 0 ? -0.055 : 0.055;
    }
    midline = 0.5 + shift;
    for (int s = 0; s < 2; s++) {
      lungHalfWidth[s] = 0.145 + 0.008 * r.nextGaussian();
      lungCx[s] = 0.5 + (s == 0 ? -spread : spread);
      dome[s] = 0.70 + 0.015 * r.nextGaussian() + (s == 0 ? -0.015 : 0.0);
    }
    if (findings.contains(Finding.ATELECTASIS)) {
      int s = atelectasisSide;
      dome[s] -= 0.15;
      lungHalfWidth[s] *= 0.78;
      lungCx[s] += s == 0 ? 0.03 : -0.03;
      extraDensity[s] = 0.12;
    }
    heartHalfWidth = findings.contains(Finding.CARDIOMEGALY) ? 0.20 + 0.01 * r.nextGaussian()
        : 0.125 + 0.008 * r.nextGaussian();
    heartHalfHeight = 0.12 + 0.01 * r.nextGaussian();
    heartCx = midline + 0.035 + (findings.contains(Finding.CARDIOMEGALY) ? 0.02 : 0);
    effusionSide = r.nextInt(2);
    effusionLevel = 0.20 + 0.06 * r.nextDouble();
    consolidationSide = r.nextInt(2);
    blobs = new double[4][];
    double bu = lungCx[consolidationSide] + (r.nextDouble() - 0.5) * 0.10;
    double bv = 0.30 + 0.20 * r.nextDouble();
    consolidationHeight = (bv - 0.30) / 0.20;
    for (int i = 0; i < blobs.length; i++) {
      blobs[i] = new double[] {bu + 0.035 * r.nextGaussian(), bv + 0.035 * r.nextGaussian(), 0.035 + 0.02 * r.nextDouble()};
    }
    ribPhase = r.nextDouble();
  }

  double heartHalfWidth() {
    return heartHalfWidth;
  }

  boolean effusionRight() {
    return effusionSide == 1;
  }

  /** What a report says of each finding drawn: its side (lung 0 is the patient's right) and extent. */
  Map<Finding, FindingDetail> details() {
    Map<Finding, FindingDetail> out = new EnumMap<>(Finding.class);
    for (Finding f : findings) {
      out.put(f, switch (f) {
        case ATELECTASIS -> new FindingDetail(side(atelectasisSide), 0.5, 0.8);
        case CARDIOMEGALY -> new FindingDetail(FindingDetail.Side.CENTRAL, clamp((heartHalfWidth - 0.18) / 0.04), 0.6);
        case CONSOLIDATION -> new FindingDetail(side(consolidationSide), 0.5, consolidationHeight);
        case EDEMA -> new FindingDetail(FindingDetail.Side.BILATERAL, 0.5, 0.5);
        case PLEURAL_EFFUSION -> new FindingDetail(side(effusionSide), (effusionLevel - 0.20) / 0.06, 1.0);
      });
    }
    return out;
  }

  private static FindingDetail.Side side(int lung) {
    return lung == 0 ? FindingDetail.Side.RIGHT : FindingDetail.Side.LEFT;
  }

  private static double clamp(double x) {
    return Math.max(0, Math.min(1, x));
  }

  /** Attenuation at (u, v). */
  double density(double u, double v) {
    double body = soft(1 - sq((u - 0.5) / 0.47) - sq((v - 0.58) / 0.56), 0.08);
    double value = 0.04 + body * 0.56;
    value += 0.06 * soft(0.03 - Math.abs(u - midline), 0.01) * body; // spine and mediastinum
    double heart = soft(1 - sq((u - heartCx) / heartHalfWidth) - sq((v - 0.60) / heartHalfHeight), 0.12);
    for (int s = 0; s < 2; s++) {
      double lung = lungMask(s, u, v) * (1 - heart);
      if (lung <= 0) {
        continue;
      }
      double inLung = 0.16 + 0.06 * (v - LUNG_TOP) + ribs(s, u, v) + extraDensity[s] + pathology(s, u, v);
      value = value * (1 - lung) + Math.min(value, inLung) * lung;
    }
    return value + 0.04 * heart;
  }

  private double lungMask(int s, double u, double v) {
    double du = (u - lungCx[s]) / lungHalfWidth[s];
    double ellipse = 1 - sq(du) - sq((v - 0.47) / 0.31);
    double vTop = Math.max(0, LUNG_TOP - v) * 20;
    // Hemidiaphragm dome: highest mid-lung, falling towards the costophrenic angle laterally.
    double lateral = s == 0 ? -du : du;
    double domeAt = dome[s] + 0.05 * sq(Math.max(0, lateral)) - 0.03 * Math.cos(du * 1.2);
    return soft(ellipse, 0.10) * soft(domeAt - v, 0.012) * (1 - Math.min(1, vTop));
  }

  private double ribs(int s, double u, double v) {
    double lateral = Math.abs(u - lungCx[s]) / lungHalfWidth[s];
    double arc = v + 0.05 * sq(lateral) + ribPhase * 0.07;
    double c = 0.5 + 0.5 * Math.cos(2 * Math.PI * arc / 0.07);
    return 0.06 * Math.pow(c, 6);
  }

  /** Extra attenuation inside lung {@code s} from effusion, consolidation and edema. */
  private double pathology(int s, double u, double v) {
    double add = 0;
    if (findings.contains(Finding.PLEURAL_EFFUSION) && s == effusionSide) {
      double lateral = Math.max(0, (s == 0 ? lungCx[s] - u : u - lungCx[s]) / lungHalfWidth[s]);
      double top = dome[s] - effusionLevel - 0.08 * sq(lateral); // meniscus rises laterally
      add += 0.42 * soft(v - top, 0.012);
    }
    if (findings.contains(Finding.CONSOLIDATION) && s == consolidationSide) {
      double b = 0;
      for (double[] blob : blobs) {
        b = Math.max(b, soft(1 - (sq(u - blob[0]) + sq(v - blob[1])) / sq(blob[2]), 0.25));
      }
      add += 0.40 * b;
    }
    if (findings.contains(Finding.EDEMA)) {
      double hilumU = s == 0 ? midline - 0.09 : midline + 0.09;
      double d2 = sq(u - hilumU) + sq((v - 0.46) * 0.8);
      add += 0.28 * Math.exp(-d2 / (2 * sq(0.085))) + 0.04;
    }
    return add;
  }

  private static double soft(double x, double width) {
    return 1 / (1 + Math.exp(-x / width * 4));
  }

  private static double sq(double x) {
    return x * x;
  }
}
