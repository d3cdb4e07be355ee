package org.cleft.data.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.cleft.data.dataset.Captions;
import org.junit.jupiter.api.Test;

class SyntheticReportsTest {
  /** Words that name each finding in a positive statement (the grammar's synonyms). */
  private static final Map<Finding, List<String>> NAMES = Map.of(
      Finding.ATELECTASIS, List.of("atelectasis", "collapse"),
      Finding.CARDIOMEGALY, List.of("cardiomegaly", "enlarged", "enlargement"),
      Finding.CONSOLIDATION, List.of("consolidation", "pneumonia", "opacity"),
      Finding.EDEMA, List.of("edema"),
      Finding.PLEURAL_EFFUSION, List.of("effusion", "pleural fluid"));

  private final ChestXrayGenerator generator = new ChestXrayGenerator(32, 0);

  @Test
  void everyReportNamesItsFindingsWithTheirSideAndNeverUsesTheZeroShotTemplate() {
    Set<String> distinct = new HashSet<>();
    for (int i = 0; i < 500; i++) {
      Finding f = Finding.values()[i % 5];
      SyntheticCase c = generator.generate(EnumSet.of(f), i);
      String report = SyntheticReports.write(c, i);
      String lower = report.toLowerCase(Locale.ROOT);
      distinct.add(report);
      assertThat(report).as(report).matches("(FINDINGS: .*|IMPRESSION: .*)").doesNotContain("\"")
          .doesNotContain("  ");
      assertThat(lower).as(report).doesNotContain(Captions.CHEST_XRAY_PREFIX.strip());
      assertThat(NAMES.get(f)).as(report).anyMatch(lower::contains);
      FindingDetail.Side side = c.details().get(f).side();
      if (side == FindingDetail.Side.RIGHT || side == FindingDetail.Side.LEFT) {
        assertThat(lower).as(report).contains(side.name().toLowerCase(Locale.ROOT));
      }
    }
    // short impression-only reports repeat, as real ones do ("IMPRESSION: Cardiomegaly.")
    assertThat(distinct).as("distinct reports of 500 cases").hasSizeGreaterThan(400);
  }

  @Test
  void absentFindingsAreNegatedNotAsserted() {
    int negatedEffusion = 0;
    for (int i = 0; i < 300; i++) {
      SyntheticCase c = generator.generate(EnumSet.of(Finding.CARDIOMEGALY), i);
      String lower = SyntheticReports.write(c, i).toLowerCase(Locale.ROOT);
      for (String sentence : lower.split("\\. ")) {
        if (sentence.contains("effusion") || sentence.contains("edema") || sentence.contains("consolidation")
            || sentence.contains("atelectasis")) {
          assertThat(sentence).as(lower).containsPattern("\\bno\\b");
          negatedEffusion += sentence.contains("effusion") ? 1 : 0;
        }
      }
    }
    assertThat(negatedEffusion).as("cardiomegaly reports that rule out an effusion").isGreaterThan(100);
  }

  @Test
  void aSecondFindingIsReportedToo() {
    SyntheticCase c = generator.generate(EnumSet.of(Finding.EDEMA, Finding.PLEURAL_EFFUSION), 7);
    String lower = SyntheticReports.write(c, 7).toLowerCase(Locale.ROOT);
    assertThat(lower).contains("edema").contains("effusion");
    assertThat(SyntheticReports.write(c, 7)).as("seeded").isEqualTo(SyntheticReports.write(c, 7));
    assertThat(SyntheticReports.write(c, 8)).as("another seed, another phrasing").isNotEqualTo(
        SyntheticReports.write(c, 7));
  }
}
