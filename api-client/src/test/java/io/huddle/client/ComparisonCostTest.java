package io.huddle.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.huddle.sim.UpstreamCalls;
import io.huddle.sports.Comparison;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What a comparison costs the upstream, counted by the simulator over real HTTP. The seed's cold
 * comparison without name search cost 34 calls.
 */
@DisplayName("A comparison costs the upstream")
class ComparisonCostTest {

    @Test
    @DisplayName("without name search: the team list, 32 rosters and one batch of stats cold; nothing when repeated")
    void withoutNameSearch() {
        try (SimulatedStack stack = SimulatedStack.start(false)) {
            Comparison cold = stack.service.compare("Micah Parsons", "Justin Jefferson");

            assertThat(cold.first().teamId()).isEqualTo("DAL");
            assertThat(cold.second().teamId()).isEqualTo("MIN");
            assertThat(cold.firstStats()).isPresent();
            assertThat(cold.secondStats()).isPresent();
            UpstreamCalls calls = stack.sim.calls();
            assertThat(calls.route(UpstreamCalls.TEAMS)).isEqualTo(1);
            assertThat(calls.route(UpstreamCalls.ROSTER)).isEqualTo(32);
            assertThat(calls.route(UpstreamCalls.SEASON_STATS)).isEqualTo(1);
            assertThat(calls.route(UpstreamCalls.PLAYERS)).isZero();
            assertThat(stack.calls()).isEqualTo(34);

            stack.sim.resetCounters();
            stack.clock.advance(Duration.ofMinutes(50));
            assertThat(stack.service.compare("Micah Parsons", "Justin Jefferson"))
                    .isEqualTo(cold);
            assertThat(stack.calls()).isZero();
        }
    }

    @Test
    @DisplayName("without name search: once the stats expire, only the stats are asked again")
    void afterTheStatsExpire() {
        try (SimulatedStack stack = SimulatedStack.startLoadingOnCallingThread(false)) {
            stack.service.compare("Micah Parsons", "Justin Jefferson");
            stack.sim.resetCounters();

            // stats are fresh for 1 h less up to 10% jitter (drawn once for the batch), then served stale
            // for 6 min while one refresh runs; at exactly 1 h they are stale and within that window
            stack.clock.advance(Duration.ofHours(1));
            stack.service.compare("Micah Parsons", "Justin Jefferson"); // served stale, and refreshed

            assertThat(stack.sim.calls().route(UpstreamCalls.SEASON_STATS)).isEqualTo(1);
            assertThat(stack.calls()).isEqualTo(1);
            assertThat(stack.cache.stats().staleServed()).isEqualTo(2);
        }
    }

    @Test
    @DisplayName("with name search: one search per player and one batch of stats")
    void withNameSearch() {
        try (SimulatedStack stack = SimulatedStack.start(true)) {
            Comparison cold = stack.service.compare("Micah Parsons", "Justin Jefferson");

            assertThat(cold.first().fullName()).isEqualTo("Micah Parsons");
            assertThat(stack.sim.calls().route(UpstreamCalls.PLAYERS)).isEqualTo(2);
            assertThat(stack.sim.calls().route(UpstreamCalls.SEASON_STATS)).isEqualTo(1);
            assertThat(stack.calls()).isEqualTo(3).isLessThanOrEqualTo(4);

            stack.sim.resetCounters();
            stack.service.compare("micah parsons", "JUSTIN JEFFERSON");
            assertThat(stack.calls()).isZero();
        }
    }
}
