package io.huddle.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReportTest {
    @Test
    void a_ratio_is_huddle_time_over_baseline_time_and_the_target_is_inclusive() {
        Report.Score huddle = new Report.Score(30.0, 1.0);
        Report.Score baseline = new Report.Score(20.0, 1.0);

        assertThat(Report.ratio(huddle, baseline)).isEqualTo(1.5);
        assertThat(Report.verdict(1.5, 1.5)).isEqualTo("within target");
        assertThat(Report.verdict(1.51, 1.5)).isEqualTo("above target");
    }

    @Test
    void the_ratio_range_spans_what_both_error_bars_allow() {
        Report.Score huddle = new Report.Score(30.0, 3.0);
        Report.Score baseline = new Report.Score(20.0, 2.0);

        assertThat(Report.ratioRange(huddle, baseline)).isEqualTo("1.23x-1.83x");
        assertThat(Report.ratioRange(huddle, new Report.Score(20.0, Double.NaN)))
                .isEmpty();
    }
}
