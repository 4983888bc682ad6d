package io.huddle.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.huddle.core.api.CacheLoadException;
import io.huddle.sports.Comparison;
import io.huddle.sports.Team;
import io.huddle.sports.UpstreamException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("When the upstream says 429")
class ThrottlingTest {

    @Test
    @DisplayName(
            "a storm of callers costs one 429, callers with cached data get it stale, and the rest get a typed error")
    void storm() throws Exception {
        try (SimulatedStack stack = SimulatedStack.start(true, sim -> sim.rateLimitPerMinute(10), client -> client)) {
            Comparison cached = stack.service.compare("Josh Allen", "Lamar Jackson"); // 3 calls
            stack.clock.advance(Duration.ofMinutes(61)); // the stats are now stale
            for (int i = 0; i < 6; i++) {
                // the first also learns the team numbers: 7 calls, the rest of the minute's 10
                stack.client.roster("KC", SimulatedStack.SEASON);
            }

            ExecutorService users = Executors.newFixedThreadPool(50);
            try {
                List<Future<Comparison>> same = new ArrayList<>();
                List<Future<?>> other = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    same.add(users.submit(() -> stack.service.compare("Josh Allen", "Lamar Jackson")));
                    String name = "Player Number" + i;
                    other.add(users.submit(() -> {
                        try {
                            return stack.service.findPlayer(name);
                        } catch (CacheLoadException expected) {
                            assertThat(expected).hasRootCauseInstanceOf(UpstreamException.RateLimited.class);
                            return expected;
                        }
                    }));
                }
                for (Future<Comparison> answer : same) {
                    assertThat(answer.get()).isEqualTo(cached);
                }
                for (Future<?> answer : other) {
                    answer.get();
                }
            } finally {
                users.shutdownNow();
            }

            assertThat(stack.sim.calls().accepted()).isEqualTo(10);
            assertThat(stack.sim.calls().rateLimited())
                    .as("429s: the first tells the client to keep quiet; only requests already in flight see more")
                    .isBetween(1L, 16L);
            assertThat(stack.sim.maxAcceptedInAnyMinute()).isLessThanOrEqualTo(10);
            assertThat(stack.cache.stats().staleServed()).isGreaterThanOrEqualTo(400);
        }
    }

    @Test
    @DisplayName("a short Retry-After is waited out and the request then succeeds")
    void waitsAsTold() {
        AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);
        try (SimulatedStack stack = SimulatedStack.start(
                true,
                sim -> sim.rateLimitPerMinute(2).clock(() -> Instant.now().plus(offset.get())),
                client -> client.maxRetryWait(Duration.ofSeconds(3)))) {
            stack.client.teams();
            stack.client.teams();
            offset.set(Duration.ofSeconds(59)); // the window frees one request about a second from now

            List<Team> teams = stack.client.teams();

            assertThat(teams).hasSize(32);
            assertThat(stack.sim.calls().rateLimited()).isEqualTo(1);
            assertThat(stack.sim.calls().accepted()).isEqualTo(3);
        }
    }

    @Test
    @DisplayName(
            "a long Retry-After fails at once as rate limited, and later calls do not reach the upstream until it ends")
    void keepsQuiet() {
        try (SimulatedStack stack = SimulatedStack.start(true, sim -> sim.rateLimitPerMinute(1), client -> client)) {
            stack.client.teams();

            assertThatThrownBy(() -> stack.client.teams())
                    .isInstanceOfSatisfying(
                            UpstreamException.RateLimited.class,
                            limited -> assertThat(limited.retryAfter())
                                    .hasValueSatisfying(
                                            wait -> assertThat(wait).isGreaterThan(Duration.ofSeconds(30))));
            long calls = stack.calls();
            for (int i = 0; i < 20; i++) {
                assertThatThrownBy(() -> stack.client.roster("KC", SimulatedStack.SEASON))
                        .isInstanceOf(UpstreamException.RateLimited.class)
                        .hasMessageNotContaining(SimulatedStack.API_KEY);
            }
            assertThat(stack.calls()).isEqualTo(calls);
        }
    }

    @Test
    @DisplayName("while one request waits out a Retry-After, a new caller who cannot wait that long is refused at once")
    void newCallersDoNotQueueBehindAQuietPeriod() throws Exception {
        AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);
        try (SimulatedStack stack = SimulatedStack.start(
                true,
                sim -> sim.rateLimitPerMinute(1).clock(() -> Instant.now().plus(offset.get())),
                client -> client.maxWaitForPermit(Duration.ofMillis(500)).maxRetryWait(Duration.ofSeconds(10)))) {
            stack.client.teams();
            offset.set(Duration.ofSeconds(57)); // the next request is told to wait about 3 s

            ExecutorService first = Executors.newSingleThreadExecutor();
            try {
                Future<List<Team>> waiting = first.submit(() -> stack.client.teams()); // waits as told, then succeeds
                while (!stack.client.isKeepingQuiet()) {
                    Thread.sleep(5); // until the client has read the 429: an event, not an expiry
                }

                assertThatThrownBy(() -> stack.client.teams())
                        .isInstanceOf(UpstreamException.RateLimited.class)
                        .hasMessageContaining("asked for no requests");
                assertThat(waiting.get()).hasSize(32);
            } finally {
                first.shutdownNow();
            }
            assertThat(stack.sim.calls().rateLimited()).isEqualTo(1);
        }
    }
}
