package io.huddle.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Counts only: the harness's timings are never asserted. */
class StampedeTest {
    private static final Duration LOADER_DELAY = Duration.ofMillis(20);

    @Test
    void twenty_users_on_one_cold_key_cost_huddle_one_loader_call_per_round() {
        Stampede.Result result = Stampede.run(Stampede.Contender.HUDDLE, 20, LOADER_DELAY, 3);

        assertThat(result.rounds()).hasSize(3);
        assertThat(result.rounds())
                .allSatisfy(round -> assertThat(round.loaderCalls()).isEqualTo(1));
    }

    @Test
    void the_naive_map_runs_the_loader_at_least_once_per_round_and_may_run_it_for_every_user() {
        Stampede.Result result = Stampede.run(Stampede.Contender.NAIVE_MAP, 20, LOADER_DELAY, 3);

        assertThat(result.rounds())
                .allSatisfy(round -> assertThat(round.loaderCalls()).isBetween(1, 20));
    }
}
