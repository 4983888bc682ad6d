package io.huddle.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.huddle.core.api.CacheLoadException;
import io.huddle.sports.Comparison;
import io.huddle.sports.Season;
import io.huddle.sports.UpstreamException;
import io.huddle.testkit.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("When the upstream fails")
class OutageTest {

    @Test
    @DisplayName("5xx for a while: the circuit opens, cached data is served stale, and calls resume after recovery")
    void serverErrors() {
        ManualClock circuitClock = new ManualClock();
        try (SimulatedStack stack = SimulatedStack.start(
                true,
                sim -> sim,
                client -> client.maxAttempts(1)
                        .circuitBreaker(4, 4, Duration.ofSeconds(30))
                        .clock(circuitClock))) {
            Comparison cached = stack.service.compare("Josh Allen", "Lamar Jackson");
            stack.clock.advance(Duration.ofMinutes(61));
            stack.sim.failAll(503);

            for (int i = 0; i < 50; i++) {
                assertThat(stack.service.compare("Josh Allen", "Lamar Jackson")).isEqualTo(cached);
                assertThatThrownBy(() -> stack.client.teams()).isInstanceOf(UpstreamException.Unavailable.class);
            }
            assertThat(stack.client.isAcceptingRequests()).isFalse();
            assertThat(stack.sim.calls().faults())
                    .as("the open circuit keeps most calls away from the failing upstream")
                    .isLessThan(20);
            assertThat(stack.cache.stats().staleServed()).isEqualTo(100);

            stack.sim.heal();
            circuitClock.advance(Duration.ofSeconds(31)); // the circuit's open state ends
            assertThat(stack.client.teams()).hasSize(32);
            assertThat(stack.client.isAcceptingRequests()).isTrue();
        }
    }

    @Test
    @DisplayName("malformed JSON is a typed bad response, never a parsing exception")
    void malformedJson() {
        try (SimulatedStack stack = SimulatedStack.start(true, sim -> sim, client -> client.maxAttempts(1))) {
            stack.sim.malformedNext(2);

            assertThatThrownBy(() -> stack.client.teams())
                    .isInstanceOf(UpstreamException.BadResponse.class)
                    .hasMessageContaining("not the expected JSON")
                    .hasNoCause();
            assertThatThrownBy(() -> stack.service.findPlayer("Josh Allen"))
                    .isInstanceOf(CacheLoadException.class)
                    .hasMessageContaining("player-id")
                    .hasCauseInstanceOf(UpstreamException.BadResponse.class);
            assertThat(stack.service.findPlayer("Josh Allen").teamId()).isEqualTo("BUF");
        }
    }

    @Test
    @DisplayName("malformed JSON is asked for once, not retried, and however often it comes the circuit stays closed")
    void malformedJsonIsNotTransient() {
        try (SimulatedStack stack = SimulatedStack.start(
                true, sim -> sim, client -> client.maxAttempts(3).circuitBreaker(4, 4, Duration.ofSeconds(30)))) {
            stack.sim.malformedNext(20);

            for (int i = 0; i < 20; i++) {
                assertThatThrownBy(() -> stack.client.teams())
                        .isInstanceOfSatisfying(
                                UpstreamException.BadResponse.class,
                                bad -> assertThat(bad.isRetryable()).isFalse());
            }

            assertThat(stack.sim.calls().total()).as("one request each").isEqualTo(20);
            assertThat(stack.client.isAcceptingRequests()).isTrue();
            assertThat(stack.client.teams()).hasSize(32);
        }
    }

    @Test
    @DisplayName("an upstream that does not answer is a typed timeout, and the engine's caller gets stale data")
    void hangs() {
        try (SimulatedStack stack = SimulatedStack.start(
                true, sim -> sim, client -> client.maxAttempts(1).requestTimeout(Duration.ofMillis(300)))) {
            stack.service.seasonStats("Josh Allen");
            stack.sim.hangNext(2);

            assertThatThrownBy(() -> stack.client.seasonStats("1", Season.of(2024)))
                    .isInstanceOf(UpstreamException.Unavailable.class)
                    .hasMessageContaining("no complete answer within 300 ms");
            stack.clock.advance(Duration.ofMinutes(61));
            assertThat(stack.service.seasonStats("Josh Allen")).isPresent(); // stale; the refresh hangs
        }
    }
}
