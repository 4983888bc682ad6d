package io.huddle.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.huddle.bucket4j.BucketPermits;
import io.huddle.core.spi.BudgetPlan;
import io.huddle.core.spi.BudgetStatistics;
import io.huddle.core.spi.UpstreamBudget;
import io.huddle.core.spi.UpstreamBudget.Priority;
import io.huddle.redis.ManualTime;
import io.huddle.sports.UpstreamException;
import io.huddle.testkit.ManualClock;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The client's requests and the upstream budget")
class BudgetTest {
    /** A burst of 2, one of them the reserve; a token back every 60/17 s. */
    private static final BudgetPlan PLAN = BudgetPlan.perMinute(20);

    private final ManualClock clock = new ManualClock();
    private final ManualTime time = new ManualTime(clock);
    private final UpstreamBudget budget = BucketPermits.inProcessBudget(PLAN, time, time);

    private SimulatedStack stack(int maxAttempts) {
        return SimulatedStack.start(
                true,
                sim -> sim,
                client -> client.budget(budget)
                        .maxAttempts(maxAttempts)
                        .retryBackoff(Duration.ofMillis(1))
                        .maxWaitForPermit(Duration.ZERO));
    }

    @Test
    @DisplayName("every attempt takes a permit from the budget given, retries included")
    void everyAttempt() {
        try (SimulatedStack stack = stack(3)) {
            stack.sim.failNext(1, 503);

            assertThat(stack.client.teams()).hasSize(32);

            assertThat(stack.sim.calls().total()).isEqualTo(2);
            assertThat(budget.statistics()).isEqualTo(new BudgetStatistics(2, 0, 0, 0));
            assertThat(stack.client.budget()).isSameAs(budget);
        }
    }

    @Test
    @DisplayName("without a permit no request is sent, and the caller gets a typed rate-limited error")
    void noPermit() {
        try (SimulatedStack stack = stack(3)) {
            stack.client.teams();
            stack.client.teams();

            assertThatThrownBy(() -> stack.client.teams())
                    .isInstanceOfSatisfying(
                            UpstreamException.RateLimited.class,
                            limited -> assertThat(limited.retryAfter()).isEmpty())
                    .hasMessageContaining("the upstream budget had no permit within PT0S");
            assertThat(stack.sim.calls().total())
                    .as("nothing was sent, nor retried")
                    .isEqualTo(2);
            assertThat(budget.statistics().refused()).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("a request made in background work takes a background permit, and none from the reserve")
    void backgroundPriority() throws Exception {
        try (SimulatedStack stack = stack(1)) {
            assertThat(Priority.BACKGROUND.callAs(() -> stack.client.teams())).hasSize(32);

            assertThatThrownBy(() -> Priority.BACKGROUND.callAs(() -> stack.client.teams()))
                    .isInstanceOf(UpstreamException.RateLimited.class);
            assertThat(stack.client.teams()).as("a user still gets the reserve").hasSize(32);

            assertThat(budget.statistics()).isEqualTo(new BudgetStatistics(1, 1, 1, 0));
            assertThat(stack.sim.calls().total()).isEqualTo(2);
        }
    }

    @Test
    @DisplayName("without a budget the client keeps one of its own, of the plan's requests a minute")
    void ownBudget() {
        BalldontlieClient client = BalldontlieClient.builder(URI.create("http://127.0.0.1:1"), "key")
                .requestsPerMinute(120)
                .build();

        assertThat(client.budget().plan()).isEqualTo(BudgetPlan.perMinute(120));
        assertThatThrownBy(() -> BalldontlieClient.builder(URI.create("http://127.0.0.1:1"), "key")
                        .requestsPerMinute(1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("requestsPerMinute must be at least 2, was 1");
    }
}
