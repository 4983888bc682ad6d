package io.huddle.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.huddle.core.spi.BudgetPlan;
import io.huddle.core.spi.UpstreamBudget;
import io.huddle.core.spi.UpstreamBudget.Priority;
import io.huddle.testkit.ManualClock;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("An upstream budget whose Redis cannot be reached")
class RedisBudgetFallbackTest {
    /** A burst of 6 (3 of them the reserve), 53 back a minute. */
    private static final BudgetPlan PLAN = BudgetPlan.perMinute(60);

    private final ManualClock clock = new ManualClock();
    private final ManualTime time = new ManualTime(clock);
    private final RedisHuddle port = RedisHuddle.builder()
            .uri(URI.create("redis://127.0.0.1:" + OwnedRedis.freePort()))
            .connectTimeout(Duration.ofMillis(500))
            .build();

    @AfterEach
    void close() {
        port.close();
    }

    private UpstreamBudget budget(int servers) {
        return port.upstreamBudgetBuilder("fallback", PLAN)
                .servers(servers)
                .time(time, time)
                .build();
    }

    @Test
    @DisplayName("takes permits from this server's share, which starts empty, and counts them as fallback permits")
    void shareStartsEmpty() {
        UpstreamBudget budget = budget(4); // a share of 1 token, 55 more every 4 minutes

        assertThat(budget.tryAcquire(Priority.USER, Duration.ZERO))
                .as("nothing at once: the shared bucket may just have given the plan's burst")
                .isFalse();
        Duration oneToken = Duration.ofMinutes(4).dividedBy(55);
        clock.advance(oneToken.plusMillis(10));

        assertThat(budget.tryAcquire(Priority.USER, Duration.ZERO)).isTrue();
        assertThat(budget.statistics().fallbackPermits()).isEqualTo(1);
        assertThat(budget.statistics().userPermits()).isEqualTo(1);
        assertThat(budget.statistics().refused()).isEqualTo(1);
    }

    @Test
    @DisplayName("gives each of four servers at most a quarter of the plan in any period")
    void quarterOfThePlan() {
        UpstreamBudget budget = budget(4);

        int granted = 0;
        for (int step = 0; step < 4 * 60; step++) { // one period in 250 ms steps
            while (budget.tryAcquire(Priority.USER, Duration.ZERO)) {
                granted++;
            }
            clock.advance(Duration.ofMillis(250));
        }

        int quarter = (PLAN.requests() - PLAN.headroom()) / 4;
        assertThat(granted).isBetween(quarter - 2, quarter);
    }

    @Test
    @DisplayName("lets a user wait for the share's next token, and keeps the share's reserve from background work")
    void prioritiesOnTheShare() {
        UpstreamBudget budget = budget(2); // a share of 3 tokens, 1 of them the reserve
        assertThat(budget.tryAcquire(Priority.USER, Duration.ZERO)).isFalse(); // on the share, empty
        clock.advance(Duration.ofMinutes(10)); // the share is full

        assertThat(budget.tryAcquire(Priority.BACKGROUND, Duration.ZERO)).isTrue();
        assertThat(budget.tryAcquire(Priority.BACKGROUND, Duration.ZERO)).isTrue();
        assertThat(budget.tryAcquire(Priority.BACKGROUND, Duration.ZERO)).isFalse();
        assertThat(budget.tryAcquire(Priority.USER, Duration.ZERO)).isTrue();
        assertThat(budget.tryAcquire(Priority.USER, Duration.ofMinutes(1))).isTrue();

        assertThat(budget.statistics().fallbackPermits()).isEqualTo(4);
        assertThat(budget.statistics().backgroundPermits()).isEqualTo(2);
        assertThat(budget.statistics().refused()).isEqualTo(2);
    }

    @Test
    @DisplayName("counts itself alone when it never learned how many servers there are")
    void aloneWhenNeverLearned() {
        RedisUpstreamBudget budget =
                port.upstreamBudgetBuilder("fallback", PLAN).time(time, time).buildRedisBudget();
        assertThat(budget.tryAcquire(Priority.USER, Duration.ZERO)).isFalse(); // on the share, empty
        clock.advance(Duration.ofMinutes(10));

        assertThat(budget.servers()).isEqualTo(1);
        assertThat(drain(budget)).as("the whole plan's burst").isEqualTo(PLAN.burst());
        assertThat(budget.isUsingRedis()).isFalse();
    }

    private static int drain(UpstreamBudget budget) {
        int granted = 0;
        while (budget.tryAcquire(Priority.USER, Duration.ZERO)) {
            granted++;
        }
        return granted;
    }
}
