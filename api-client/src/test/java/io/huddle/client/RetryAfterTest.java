package io.huddle.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.huddle.sports.UpstreamException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("When a 429's Retry-After is huge or unreadable")
class RetryAfterTest {
    private static final Duration CAP = Duration.ofMillis(400);
    /** Guards against a quiet that does not end, not a timing. */
    private static final Duration NOT_HUNG = Duration.ofSeconds(10);

    private static final UnaryOperator<BalldontlieClient.Builder> ONE_ATTEMPT_CAPPED =
            client -> client.maxAttempts(1).maxRetryAfter(CAP).maxWaitForPermit(Duration.ofMillis(50));

    @ParameterizedTest(name = "Retry-After: {0}")
    @ValueSource(strings = {"86400", "99999999999999999999", "9223372036854775807", "Fri, 31 Dec 9999 23:59:59 GMT"})
    @DisplayName("a wait past the cap is a typed rate limit of the cap, and the client keeps quiet no longer")
    void hugeWaitsAreCapped(String retryAfter) {
        try (SimulatedStack stack = SimulatedStack.start(true, sim -> sim, ONE_ATTEMPT_CAPPED)) {
            stack.sim.rateLimitNext(1, retryAfter);

            assertThatThrownBy(() -> stack.client.teams())
                    .isInstanceOfSatisfying(
                            UpstreamException.RateLimited.class,
                            limited -> assertThat(limited.retryAfter()).hasValue(CAP));
            long calls = stack.calls();
            assertThatThrownBy(() -> stack.client.teams())
                    .isInstanceOfSatisfying(UpstreamException.RateLimited.class, quiet -> {
                        assertThat(quiet).hasMessageContaining("asked for no requests");
                        assertThat(quiet.retryAfter())
                                .hasValueSatisfying(left -> assertThat(left).isLessThanOrEqualTo(CAP));
                    });
            assertThat(stack.calls()).as("no request while quiet").isEqualTo(calls);

            assertTimeoutPreemptively(NOT_HUNG, () -> {
                while (stack.client.isKeepingQuiet()) {
                    Thread.sleep(10); // the quiet ends by the client's clock, which tests cannot move
                }
            });
            assertThat(stack.client.teams()).hasSize(32);
        }
    }

    @ParameterizedTest(name = "Retry-After: \"{0}\"")
    @ValueSource(strings = {"soon", "-5", "", "1.5", "+5", "Fri, 32 Dec 9999 25:00:00 GMT"})
    @DisplayName("an unreadable wait is ignored: a typed rate limit without a wait, and no quiet")
    void unreadableWaitsAreIgnored(String retryAfter) {
        try (SimulatedStack stack = SimulatedStack.start(true, sim -> sim, ONE_ATTEMPT_CAPPED)) {
            stack.sim.rateLimitNext(1, retryAfter);

            assertThatThrownBy(() -> stack.client.teams())
                    .isInstanceOfSatisfying(
                            UpstreamException.RateLimited.class,
                            limited -> assertThat(limited.retryAfter()).isEmpty());

            assertThat(stack.client.isKeepingQuiet()).isFalse();
            assertThat(stack.client.teams()).hasSize(32);
        }
    }

    @Test
    @DisplayName("a day's Retry-After capped below maxRetryWait is waited out, and the retry succeeds")
    void cappedWaitIsWaitedOut() {
        try (SimulatedStack stack = SimulatedStack.start(
                true,
                sim -> sim,
                client -> client.maxRetryAfter(Duration.ofMillis(300)).maxAttempts(3))) {
            stack.sim.rateLimitNext(1, "86400");

            assertThat(assertTimeoutPreemptively(NOT_HUNG, stack.client::teams)).hasSize(32);
            assertThat(stack.sim.calls().total()).isEqualTo(2);
        }
    }

    @Test
    @DisplayName("with a cap too long to count in nanoseconds, a huge wait is still only a typed rate limit")
    void capBeyondNanoseconds() {
        try (SimulatedStack stack = SimulatedStack.start(
                true, sim -> sim, client -> client.maxAttempts(1).maxRetryAfter(Duration.ofSeconds(Long.MAX_VALUE)))) {
            stack.sim.rateLimitNext(1, "99999999999999999999");

            assertThatThrownBy(() -> stack.client.teams()).isInstanceOf(UpstreamException.RateLimited.class);
            assertThat(stack.client.isKeepingQuiet()).isTrue();
            assertThatThrownBy(() -> stack.client.teams())
                    .isInstanceOf(UpstreamException.RateLimited.class)
                    .hasMessageContaining("asked for no requests");
        }
    }

    @Test
    @DisplayName("maxRetryAfter must be positive")
    void capMustBePositive() {
        BalldontlieClient.Builder builder = BalldontlieClient.builder(java.net.URI.create("http://localhost"), "key");
        assertThatThrownBy(() -> builder.maxRetryAfter(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxRetryAfter must be positive, was PT0S");
    }

    @Nested
    @DisplayName("Reading the header")
    class Reading {
        private final Instant now = Instant.parse("2024-11-01T12:00:00Z");
        private final Duration cap = Duration.ofMinutes(5);

        @ParameterizedTest(name = "\"{0}\" is {1}")
        @CsvSource(
                delimiter = '|',
                value = {
                    "120 | PT2M",
                    " 12 | PT12S",
                    "0 | PT0S",
                    "300 | PT5M",
                    "86400 | PT5M",
                    "9223372036854775807 | PT5M",
                    "99999999999999999999999999999999 | PT5M",
                    "Fri, 01 Nov 2024 12:01:30 GMT | PT1M30S",
                    "Fri, 01 Nov 2024 11:00:00 GMT | PT0S",
                    "Fri, 31 Dec 9999 23:59:59 GMT | PT5M"
                })
        @DisplayName("seconds and dates are read and held to the cap")
        void readable(String value, Duration wait) {
            assertThat(RetryAfter.parse(value, cap, now)).hasValue(wait);
        }

        @ParameterizedTest(name = "\"{0}\"")
        @ValueSource(strings = {"-5", "soon", "", "1.5", "+5", "1e3", "Fri, 32 Dec 9999 25:00:00 GMT", "٣"})
        @DisplayName("anything else is no wait")
        void unreadable(String value) {
            assertThat(RetryAfter.parse(value, cap, now)).isEqualTo(Optional.empty());
        }

        @Test
        @DisplayName("a cap too long for nanoseconds still reads without overflow")
        void hugeCap() {
            Duration forever = Duration.ofSeconds(Long.MAX_VALUE);
            assertThat(RetryAfter.parse("99999999999999999999", forever, now))
                    .hasValue(Duration.ofSeconds(Long.MAX_VALUE));
            assertThat(RetryAfter.parse("Fri, 31 Dec 9999 23:59:59 GMT", forever, now))
                    .hasValueSatisfying(wait -> assertThat(wait).isGreaterThan(Duration.ofDays(365 * 7000)));
        }
    }
}
