package io.huddle.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The restart run on real servers; counts only, never timings. */
class RestartTest {
    @Test
    void a_server_restarted_from_its_snapshot_answers_without_an_upstream_call() {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();

        Restart.Result result =
                Restart.run(Restart.Settings.of(60, 40), new PrintStream(progress, true, StandardCharsets.UTF_8));

        assertThat(result.first().calls()).isPositive();
        assertThat(result.restored()).isPositive();
        assertThat(result.restarted().answers()).containsEntry("200", 40L);
        assertThat(result.restarted().calls()).isZero();
        assertThat(result.cold().calls()).as("the same answers cold").isPositive();
        assertThat(result.noCalls()).isTrue();
        assertThat(Report.restart(result)).contains("met");
    }
}
