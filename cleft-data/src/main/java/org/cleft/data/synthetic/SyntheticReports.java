package org.cleft.data.synthetic;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import org.cleft.data.synthetic.FindingDetail.Side;

/**
 * Writes a chest X-ray report for a synthetic case, the way MIMIC-CXR and CheXpert Plus reports read: an optional
 * technique line, a FINDINGS section (devices, lungs, pleura, heart, bones) and an IMPRESSION, with synonyms and
 * varied sentence frames, the side and size of what was drawn, negations of what was not ("No pleural effusion or
 * pneumothorax."), normal statements and incidental findings. The grammar is seeded: one case and one seed give one
 * report. It is fixed independently of any model's result (issue 18): its phrases follow public report examples,
 * not what makes a classifier score well.
 *
 * <p>A report never uses the zero-shot template ({@code "this is a chest x ray of a patient with ..."}): the gap
 * between report language and a bare class-name prompt is what prompt tuning is for.
 */
public final class SyntheticReports {
  private static final String[] TECHNIQUE = {"PA and lateral views of the chest.",
      "Frontal and lateral views of the chest were obtained.", "Single portable AP view of the chest.",
      "AP upright portable chest radiograph.", "PA and lateral chest radiographs were reviewed."};
  private static final String[] COMPARISON = {"Comparison is made to the prior study.",
      "No prior studies are available for comparison.", "Compared with the previous radiograph."};

  private SyntheticReports() {}

  /**
   * A report of the case's findings.
   *
   * @param c the case (its findings and their details)
   * @param seed the report's seed: the same case and seed give the same report
   * @return one line of text, "FINDINGS: ... IMPRESSION: ..." (or one of the two), with no double quotes
   */
  public static String write(SyntheticCase c, long seed) {
    Random r = new Random(seed * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L);
    Set<Finding> has = c.findings();
    List<String> findings = new ArrayList<>();
    if (r.nextDouble() < 0.6) {
      findings.add(pick(r, TECHNIQUE));
    }
    if (r.nextDouble() < 0.25) {
      findings.add(pick(r, COMPARISON));
    }
    if (r.nextDouble() < 0.1) {
      findings.add(pick(r, "A right internal jugular central venous catheter terminates in the mid SVC.",
          "Median sternotomy wires are intact.", "A left-sided pacemaker is in place with leads in standard position.",
          "An enteric tube courses below the diaphragm."));
    }
    List<String> lungs = new ArrayList<>();
    for (Finding f : List.of(Finding.CONSOLIDATION, Finding.ATELECTASIS, Finding.EDEMA, Finding.PLEURAL_EFFUSION)) {
      if (has.contains(f)) {
        lungs.add(finding(f, c.details().get(f), r));
      }
    }
    Collections.shuffle(lungs, r);
    findings.addAll(lungs);
    findings.addAll(lungNegations(has, r));
    if (has.contains(Finding.CARDIOMEGALY)) {
      findings.add(finding(Finding.CARDIOMEGALY, c.details().get(Finding.CARDIOMEGALY), r));
    } else if (r.nextDouble() < 0.8) {
      findings.add(pick(r, "The heart size is normal.", "Heart size is within normal limits.",
          "The cardiomediastinal silhouette is unremarkable.", "Normal cardiomediastinal silhouette.",
          "The cardiac silhouette is not enlarged.", "Heart size is normal. The mediastinal contours are normal."));
    }
    if (r.nextDouble() < 0.5) {
      findings.add(pick(r, "No acute osseous abnormality.", "The visualized osseous structures are intact.",
          "Degenerative changes of the thoracic spine.", "Mild degenerative changes are noted in the thoracic spine.",
          "No displaced rib fracture is seen."));
    }
    String impression = impression(c, r);
    double layout = r.nextDouble();
    if (layout < 0.2) {
      return "IMPRESSION: " + impression;
    }
    if (layout < 0.3) {
      return "FINDINGS: " + String.join(" ", findings);
    }
    return "FINDINGS: " + String.join(" ", findings) + " IMPRESSION: " + impression;
  }

  /** One findings-section sentence for a finding, in one of several frames. */
  private static String finding(Finding f, FindingDetail d, Random r) {
    String side = d.side().name().toLowerCase(Locale.ROOT);
    String sideCap = capitalise(side);
    return switch (f) {
      case PLEURAL_EFFUSION -> {
        String size = grade(d.extent(), r, "small", "moderate", "large");
        yield pick(r, sentence(size + side + " pleural effusion."),
            "There is a " + size + side + " pleural effusion.",
            sentence(size + side + " pleural effusion is present."),
            "Blunting of the " + side + " costophrenic angle, compatible with a " + size + "pleural effusion.",
            sideCap + " pleural fluid layers along the lateral chest wall.",
            "Interval development of a " + size + side + " pleural effusion.");
      }
      case CARDIOMEGALY -> {
        String[] grades = {"mild", "moderate", "marked"};
        String grade = grades[Math.min(2, (int) (d.extent() * 3))];
        String adverb = grade.equals("marked") ? "markedly" : grade + "ly";
        yield pick(r, capitalise(grade) + " cardiomegaly.", "Cardiomegaly.", "The heart is " + adverb + " enlarged.",
            "The cardiac silhouette is enlarged.", "Enlargement of the cardiac silhouette.",
            capitalise(grade) + " enlargement of the cardiac silhouette.",
            "The heart size is enlarged, consistent with cardiomegaly.");
      }
      case CONSOLIDATION -> {
        String where = zone(d, side);
        yield pick(r, "Focal consolidation in the " + where + ".",
            "There is airspace consolidation in the " + where + ", concerning for pneumonia.",
            "Patchy airspace opacity in the " + where + " may reflect pneumonia.",
            capitalise(where) + " consolidation.",
            "New " + where + " opacity, consistent with consolidation.",
            "Dense consolidation is seen in the " + where + ".");
      }
      case EDEMA -> {
        String grade = r.nextDouble() < 0.6 ? "mild" : "moderate";
        yield pick(r, capitalise(grade) + " pulmonary edema.",
            "Perihilar haziness and vascular indistinctness, consistent with " + grade + " pulmonary edema.",
            "Pulmonary vascular congestion with " + grade + " interstitial edema.",
            "Bilateral perihilar opacities in a bat-wing distribution, compatible with pulmonary edema.",
            "There is " + grade + " interstitial pulmonary edema.",
            "Findings are consistent with " + grade + " pulmonary edema.");
      }
      case ATELECTASIS -> pick(r, sideCap + " basilar atelectasis.",
          "Subsegmental atelectasis at the " + side + " base.",
          sideCap + " lower lobe atelectasis.",
          "Volume loss in the " + side + " lung with elevation of the " + side + " hemidiaphragm, consistent with "
              + "atelectasis.",
          "Elevation of the " + side + " hemidiaphragm with " + side + " basilar atelectasis.",
          sideCap + " lower lobe collapse with mediastinal shift toward the " + side + ".");
    };
  }

  /** The normal statements and negations of the lung findings the case does not have. */
  private static List<String> lungNegations(Set<Finding> has, Random r) {
    List<String> out = new ArrayList<>();
    boolean clearLungs = !has.contains(Finding.CONSOLIDATION) && !has.contains(Finding.ATELECTASIS)
        && !has.contains(Finding.EDEMA);
    if (clearLungs && r.nextDouble() < 0.6) {
      out.add(pick(r, "The lungs are clear.", "Lungs are well expanded and clear.",
          "The lungs are clear bilaterally."));
    }
    List<String> absent = new ArrayList<>();
    String opening = pick(r, "No ", "There is no ", "No evidence of ");
    if (!has.contains(Finding.CONSOLIDATION) && r.nextDouble() < 0.6) {
      absent.add("focal consolidation");
    }
    if (!has.contains(Finding.PLEURAL_EFFUSION) && r.nextDouble() < 0.75) {
      absent.add(opening.equals("There is no ") ? pick(r, "pleural effusion", "effusion")
          : pick(r, "pleural effusion", "effusion", "pleural effusions"));
    }
    if (r.nextDouble() < 0.6) {
      absent.add("pneumothorax");
    }
    if (!absent.isEmpty()) {
      out.add(opening + list(absent) + ".");
    }
    if (!has.contains(Finding.EDEMA) && r.nextDouble() < 0.4) {
      out.add(pick(r, "There is no pulmonary edema.", "No pulmonary edema.", "No evidence of pulmonary vascular "
          + "congestion or edema."));
    }
    if (!has.contains(Finding.ATELECTASIS) && !clearLungs && r.nextDouble() < 0.2) {
      out.add("No atelectasis.");
    }
    return out;
  }

  private static String impression(SyntheticCase c, Random r) {
    List<String> items = new ArrayList<>();
    for (Finding f : Finding.values()) {
      if (!c.findings().contains(f)) {
        continue;
      }
      FindingDetail d = c.details().get(f);
      String side = d.side().name().toLowerCase(Locale.ROOT);
      items.add(switch (f) {
        case PLEURAL_EFFUSION -> sentence(grade(d.extent(), r, "small", "moderate", "large") + side
            + " pleural effusion.");
        case CARDIOMEGALY -> pick(r, "Cardiomegaly.", "Enlarged cardiac silhouette.", "Stable cardiomegaly.");
        case CONSOLIDATION -> pick(r, capitalise(zone(d, side)) + " pneumonia.",
            capitalise(zone(d, side)) + " consolidation, concerning for pneumonia.",
            "Focal consolidation in the " + zone(d, side) + ".");
        case EDEMA -> pick(r, "Pulmonary edema.", "Interstitial pulmonary edema.",
            "Findings compatible with pulmonary edema.", "Congestive heart failure with pulmonary edema.");
        case ATELECTASIS -> pick(r, capitalise(side) + " lower lobe atelectasis.", capitalise(side)
            + " basilar atelectasis.", "Atelectasis at the " + side + " base.");
      });
    }
    if (items.isEmpty()) {
      return pick(r, "No acute cardiopulmonary process.", "No acute intrathoracic abnormality.",
          "Normal chest radiograph.");
    }
    Collections.shuffle(items, r);
    String text;
    if (items.size() == 1) {
      text = items.get(0);
    } else {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < items.size(); i++) {
        b.append(i == 0 ? "" : " ").append(i + 1).append(". ").append(items.get(i));
      }
      text = b.toString();
    }
    return r.nextDouble() < 0.3 ? text + " No other acute cardiopulmonary process." : text;
  }

  /** Where in a lung a finding is: upper lobe, mid lung or lower lobe by its height. */
  private static String zone(FindingDetail d, String side) {
    return side + (d.height() < 1 / 3.0 ? " upper lobe" : d.height() < 2 / 3.0 ? " mid lung" : " lower lobe");
  }

  /** A size word by extent (followed by a space), or none in a third of reports. */
  private static String grade(double extent, Random r, String small, String medium, String large) {
    if (r.nextDouble() < 0.3) {
      return "";
    }
    return (extent < 1 / 3.0 ? small : extent < 2 / 3.0 ? medium : large) + " ";
  }

  /** "a", "a or b", "a, b, or c". */
  private static String list(List<String> items) {
    if (items.size() == 1) {
      return items.get(0);
    }
    if (items.size() == 2) {
      return items.get(0) + " or " + items.get(1);
    }
    return String.join(", ", items.subList(0, items.size() - 1)) + ", or " + items.get(items.size() - 1);
  }

  private static String sentence(String s) {
    return capitalise(s.strip());
  }

  private static String capitalise(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  private static String pick(Random r, String... options) {
    return options[r.nextInt(options.length)];
  }
}
