package io.huddle.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.huddle.bucket4j.BucketPermits;
import io.huddle.core.spi.BudgetPlan;
import io.huddle.core.spi.UpstreamBudget;
import io.huddle.core.spi.UpstreamBudget.Priority;
import io.huddle.redis.ManualTime;
import io.huddle.testkit.ManualClock;
import io.huddle.testkit.UpstreamBudgetContractKit;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The client's own budget, in this process")
class InProcessBudgetTest extends UpstreamBudgetContractKit {
    @Override
    protected UpstreamBudget createBudget(BudgetPlan plan, ManualClock clock) {
        ManualTime time = new ManualTime(clock);
        return BucketPermits.inProcessBudget(plan, time, time);
    }

    @Test
    @DisplayName("a user interrupted while waiting gets no permit, keeps its interrupt flag, and its token goes back")
    void interrupted() {
        drain(Priority.USER);

        Thread.currentThread().interrupt();
        boolean granted;
        try {
            granted = budget.tryAcquire(Priority.USER, Duration.ofSeconds(5));
        } finally {
            assertThat(Thread.interrupted()).as("the interrupt flag is kept").isTrue();
        }

        assertThat(granted).isFalse();
        assertThat(budget.statistics().refused()).isEqualTo(2);
        // had the reserved token not come back, the next user would wait for two tokens, not one
        Instant start = clock.instant();
        assertThat(budget.tryAcquire(Priority.USER, Duration.ofSeconds(5))).isTrue();
        Duration oneToken = PLAN.period().dividedBy(PLAN.bucket().refillTokens());
        assertThat(Duration.between(start, clock.instant())).isLessThanOrEqualTo(oneToken.plusMillis(1));
    }
}
