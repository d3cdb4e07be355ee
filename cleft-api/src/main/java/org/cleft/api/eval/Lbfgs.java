package org.cleft.api.eval;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;

/**
 * Limited-memory BFGS with a backtracking (Armijo) line search, for smooth convex objectives. Every
 * accepted step satisfies the sufficient-decrease condition, so the recorded objective values strictly
 * decrease.
 */
final class Lbfgs {
  /** Sufficient-decrease constant of the Armijo condition. */
  private static final double C1 = 1e-4;
  private static final int MEMORY = 10;
  private static final int MAX_HALVINGS = 50;

  /** An objective with its gradient: returns the value and fills the gradient array. */
  interface Objective {
    double evaluate(double[] x, double[] gradient);
  }

  /**
   * The outcome of a minimisation.
   *
   * @param x the final parameters
   * @param losses the objective at the start and after every accepted step
   * @param gradientNorm the largest absolute gradient component at {@code x}
   */
  record Result(double[] x, List<Double> losses, double gradientNorm) {}

  private Lbfgs() {}

  /**
   * Minimises {@code f} from {@code x0}.
   *
   * @param f the objective
   * @param x0 the start (not modified)
   * @param maxIterations the most steps to take
   * @param tolerance stop when every gradient component is at most this in absolute value
   * @return the final point and the objective history
   */
  static Result minimise(Objective f, double[] x0, int maxIterations, double tolerance) {
    double[] x = x0.clone();
    double[] g = new double[x.length];
    double fx = f.evaluate(x, g);
    List<Double> losses = new ArrayList<>(List.of(fx));
    Deque<double[][]> memory = new ArrayDeque<>(); // each entry {s, y, {rho}}
    double[] gNext = new double[x.length];
    for (int iter = 0; iter < maxIterations && maxAbs(g) > tolerance; iter++) {
      double[] d = direction(g, memory);
      double slope = dot(g, d);
      if (!(slope < 0)) { // not a descent direction: restart from steepest descent
        memory.clear();
        d = negate(g);
        slope = dot(g, d);
      }
      double step = memory.isEmpty() ? Math.min(1, 1 / Math.sqrt(dot(g, g))) : 1;
      double[] xNext = new double[x.length];
      double fNext = Double.NaN;
      boolean accepted = false;
      for (int h = 0; h < MAX_HALVINGS && !accepted; h++, step /= 2) {
        for (int i = 0; i < x.length; i++) {
          xNext[i] = x[i] + step * d[i];
        }
        fNext = f.evaluate(xNext, gNext);
        accepted = fNext <= fx + C1 * step * slope;
      }
      if (!accepted) {
        break; // no decrease found at machine precision: converged as far as it can
      }
      remember(memory, x, xNext, g, gNext);
      double[] swap = g;
      g = gNext;
      gNext = swap;
      double decrease = fx - fNext;
      x = xNext;
      fx = fNext;
      losses.add(fx);
      if (decrease <= 1e-15 * Math.max(1, Math.abs(fx))) {
        break;
      }
    }
    return new Result(x, List.copyOf(losses), maxAbs(g));
  }

  private static void remember(Deque<double[][]> memory, double[] x, double[] xNext, double[] g, double[] gNext) {
    double[] s = new double[x.length];
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      s[i] = xNext[i] - x[i];
      y[i] = gNext[i] - g[i];
    }
    double sy = dot(s, y);
    if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) { // keep the curvature pairs positive definite
      memory.addLast(new double[][] {s, y, {1 / sy}});
      if (memory.size() > MEMORY) {
        memory.removeFirst();
      }
    }
  }

  /** The two-loop recursion: {@code -H g} for the inverse Hessian estimate {@code H} held in memory. */
  private static double[] direction(double[] g, Deque<double[][]> memory) {
    double[] q = g.clone();
    double[] alpha = new double[memory.size()];
    int k = memory.size() - 1;
    for (Iterator<double[][]> it = memory.descendingIterator(); it.hasNext(); k--) {
      double[][] m = it.next();
      alpha[k] = m[2][0] * dot(m[0], q);
      axpy(-alpha[k], m[1], q);
    }
    if (!memory.isEmpty()) {
      double[][] last = memory.getLast();
      double gamma = dot(last[0], last[1]) / dot(last[1], last[1]);
      for (int i = 0; i < q.length; i++) {
        q[i] *= gamma;
      }
    }
    k = 0;
    for (double[][] m : memory) {
      double beta = m[2][0] * dot(m[1], q);
      axpy(alpha[k] - beta, m[0], q);
      k++;
    }
    return negate(q);
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  private static void axpy(double a, double[] x, double[] y) {
    for (int i = 0; i < x.length; i++) {
      y[i] += a * x[i];
    }
  }

  private static double[] negate(double[] a) {
    double[] out = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = -a[i];
    }
    return out;
  }

  private static double maxAbs(double[] a) {
    double m = 0;
    for (double v : a) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }
}
