package io.huddle.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.huddle.sports.UpstreamException;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("When an answer does not come whole in time, or is too large")
class DeadlineTest {
    private static final Duration DEADLINE = Duration.ofMillis(500);
    /** Guards against a hang (a dripping answer takes minutes), not a timing. */
    private static final Duration NOT_HUNG = DEADLINE.multipliedBy(10);

    /** One attempt, the deadline above, and one bulkhead slot, which a held attempt would keep. */
    private static final UnaryOperator<BalldontlieClient.Builder> ONE_SHORT_ATTEMPT =
            client -> client.requestTimeout(DEADLINE).maxAttempts(1).maxConcurrentRequests(1);

    @Test
    @DisplayName("a body that drips fails as unavailable at the deadline, and the next call succeeds at once")
    void drippingBody() {
        nextCallSucceedsAfter(sim -> sim.dripNext(1, 10)); // a byte every 100 ms: the teams take minutes
    }

    @Test
    @DisplayName("a body that never ends fails as unavailable at the deadline, and the next call succeeds at once")
    void endlessBody() {
        nextCallSucceedsAfter(sim -> sim.endlessNext(1));
    }

    private static void nextCallSucceedsAfter(Consumer<io.huddle.sim.UpstreamSimulator> fault) {
        try (SimulatedStack stack = SimulatedStack.start(true, sim -> sim, ONE_SHORT_ATTEMPT)) {
            fault.accept(stack.sim);

            UpstreamException.Unavailable late = assertTimeoutPreemptively(
                    NOT_HUNG, () -> catchThrowableOfType(UpstreamException.Unavailable.class, stack.client::teams));

            assertThat(late).hasMessageContaining("no complete answer within 500 ms");
            assertThat(stack.client.teams())
                    .as("the bulkhead's one slot is free again")
                    .hasSize(32);
            assertThat(stack.sim.calls().total()).isEqualTo(2);
        }
    }

    @Test
    @DisplayName(
            "an answer cut off at the deadline has its connection closed: the simulator's one thread is free again")
    void connectionClosedAtTheDeadline() {
        try (SimulatedStack stack = SimulatedStack.start(true, sim -> sim.threads(1), ONE_SHORT_ATTEMPT)) {
            stack.sim.dripNext(1, 10);
            assertThat(catchThrowableOfType(UpstreamException.Unavailable.class, stack.client::teams))
                    .isNotNull();

            // were the dripping connection still open, the only server thread would drip on for minutes
            BalldontlieClient patient = stack.otherClient(client -> client.requestTimeout(Duration.ofSeconds(10)));
            assertThat(patient.teams()).hasSize(32);
        }
    }

    @Test
    @DisplayName("a body over maxBodyBytes is refused as a bad response after one request, not retried")
    void hugeBody() {
        try (SimulatedStack stack =
                SimulatedStack.start(true, sim -> sim.threads(1), client -> client.maxAttempts(3))) {
            stack.sim.hugeNext(1, 50_000_000);

            UpstreamException.BadResponse huge = assertTimeoutPreemptively(
                    NOT_HUNG, () -> catchThrowableOfType(UpstreamException.BadResponse.class, stack.client::teams));

            assertThat(huge).hasMessageContaining("larger than 8388608 bytes");
            assertThat(huge.isRetryable()).isFalse();
            assertThat(stack.sim.calls().total()).as("no retry").isEqualTo(1);
            assertThat(stack.client.teams())
                    .as("the simulator's one thread was let go")
                    .hasSize(32);
        }
    }

    @Test
    @DisplayName("a body within maxBodyBytes is read whole")
    void bodyWithinTheLimit() {
        try (SimulatedStack stack = SimulatedStack.start(true, sim -> sim, client -> client.maxBodyBytes(64 * 1024))) {
            assertThat(stack.client.teams()).hasSize(32);
        }
    }
}
