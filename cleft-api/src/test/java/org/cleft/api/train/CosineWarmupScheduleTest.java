package org.cleft.api.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;

/** The reference schedule against values worked out by hand. */
class CosineWarmupScheduleTest {
  @Test
  void scheduleWarmsUpLinearlyFromTheMinimumThenFollowsTheCosine() {
    CosineWarmupSchedule s = new CosineWarmupSchedule(1e-3, 1e-5, 10, 110);
    assertThat(s.lr(0)).isCloseTo(1e-5, offset(1e-12));
    assertThat(s.lr(5)).isCloseTo(5.05e-4, offset(1e-12)); // halfway up: 1e-5 + 0.5 * 9.9e-4
    assertThat(s.lr(10)).isCloseTo(1e-3, offset(1e-12));
    assertThat(s.lr(60)).isCloseTo(5.05e-4, offset(1e-12)); // cos(pi / 2) = 0: the middle
    assertThat(s.lr(110)).isCloseTo(1e-5, offset(1e-12));
  }
}
