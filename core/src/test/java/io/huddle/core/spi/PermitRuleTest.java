package io.huddle.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.huddle.core.spi.UpstreamBudget.Priority;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The permit rule every budget follows")
class PermitRuleTest {
    /** A bucket of whole tokens that never refills; a wait that would need a refill is refused. */
    private static final class Counted implements PermitRule.Tokens {
        long tokens;
        long waits;
        boolean interruptWaits;

        Counted(long tokens) {
            this.tokens = tokens;
        }

        @Override
        public long takeReturningRemaining() {
            return tokens > 0 ? --tokens : -1;
        }

        @Override
        public boolean take() {
            return takeReturningRemaining() >= 0;
        }

        @Override
        public boolean takeWaiting(long maxWaitNanos) throws InterruptedException {
            waits++;
            if (interruptWaits) {
                tokens--; // reserved, then interrupted
                throw new InterruptedException();
            }
            return take();
        }

        @Override
        public void giveBack() {
            tokens++;
        }
    }

    @Test
    @DisplayName("background work takes tokens above the reserve, never the reserve, and never waits")
    void backgroundKeepsTheReserve() {
        Counted bucket = new Counted(3);

        assertThat(PermitRule.take(bucket, Priority.BACKGROUND, Duration.ofSeconds(5), 2))
                .isTrue();
        assertThat(PermitRule.take(bucket, Priority.BACKGROUND, Duration.ofSeconds(5), 2))
                .isFalse();

        assertThat(bucket.tokens).as("the reserve, given back").isEqualTo(2);
        assertThat(bucket.waits).isZero();
    }

    @Test
    @DisplayName("a user takes the reserve; with no wait allowed it does not wait")
    void userTakesTheReserve() {
        Counted bucket = new Counted(1);

        assertThat(PermitRule.take(bucket, Priority.USER, Duration.ZERO, 1)).isTrue();
        assertThat(PermitRule.take(bucket, Priority.USER, Duration.ZERO, 1)).isFalse();
        assertThat(bucket.waits).isZero();
    }

    @Test
    @DisplayName("a user allowed to wait waits for its token")
    void userWaits() {
        Counted bucket = new Counted(1);

        assertThat(PermitRule.take(bucket, Priority.USER, Duration.ofSeconds(1), 1))
                .isTrue();
        assertThat(bucket.waits).isEqualTo(1);
    }

    @Test
    @DisplayName("a user interrupted while waiting gets no permit, its token goes back, and it keeps its interrupt")
    void interruptedUser() {
        Counted bucket = new Counted(1);
        bucket.interruptWaits = true;

        try {
            assertThat(PermitRule.take(bucket, Priority.USER, Duration.ofSeconds(1), 0))
                    .isFalse();
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(bucket.tokens).isEqualTo(1);
    }

    @Test
    @DisplayName("a negative wait or reserve is refused")
    void negativeArguments() {
        Counted bucket = new Counted(1);

        assertThatThrownBy(() -> PermitRule.take(bucket, Priority.USER, Duration.ofMillis(-1), 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PermitRule.take(bucket, Priority.USER, Duration.ZERO, -1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
