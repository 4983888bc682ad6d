package io.huddle.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.huddle.core.spi.BudgetPlan;
import io.huddle.core.spi.UpstreamBudget;
import io.huddle.core.spi.UpstreamBudget.Priority;
import io.huddle.testkit.ManualClock;
import io.huddle.testkit.UpstreamBudgetContractKit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/** The contract kit on Bucket4j's Jedis proxy over Jedis 8, with the buckets' clock a manual one. */
@DisplayName("The upstream budget in Redis")
class RedisUpstreamBudgetTest extends UpstreamBudgetContractKit {
    private final String prefix = TestRedis.newPrefix();
    private final List<RedisHuddle> ports = new ArrayList<>();

    @Override
    protected UpstreamBudget createBudget(BudgetPlan plan, ManualClock clock) {
        return budget("kit", plan, clock);
    }

    private UpstreamBudget budget(String name, BudgetPlan plan, ManualClock clock) {
        RedisHuddle port = TestRedis.redisOn(prefix).build();
        ports.add(port);
        ManualTime time = new ManualTime(clock);
        return port.upstreamBudgetBuilder(name, plan)
                .servers(1)
                .time(time, time)
                .build();
    }

    @AfterEach
    void closePorts() {
        ports.forEach(RedisHuddle::close);
        TestRedis.deletePrefix(prefix);
    }

    @Test
    @DisplayName("servers with the same name share one bucket, and another name is another bucket")
    void sharedByName() {
        UpstreamBudget otherServer = budget("kit", PLAN, clock);
        UpstreamBudget otherPlan = budget("another", PLAN, clock);

        assertThat(drain(Priority.USER) + drainOf(otherServer)).isEqualTo(PLAN.burst());
        assertThat(drainOf(otherPlan)).isEqualTo(PLAN.burst());
    }

    @Test
    @DisplayName("the bucket is one key under the prefix and the name, expiring once it would be full again")
    void oneKeyThatExpires() {
        drain(Priority.USER);

        try (UnifiedJedis redis = TestRedis.rawClient()) {
            assertThat(TestRedis.keysUnder(redis::scan, prefix)).containsExactly(prefix + ":~budget:kit");
            // empty: six tokens at 60/53 s each to fill up, then one period
            long refill = Duration.ofSeconds(60).multipliedBy(6).dividedBy(53).toMillis();
            assertThat(redis.pttl(prefix + ":~budget:kit"))
                    .isBetween(refill + Duration.ofMinutes(1).toMillis() - 5_000, refill + 60_000 + 50);
        }
    }

    @Test
    @DisplayName("a name outside the key alphabet is refused, naming it")
    void badName() {
        RedisHuddle port = TestRedis.redisOn(prefix).build();
        ports.add(port);

        assertThatThrownBy(() -> port.upstreamBudget("bad:name", PLAN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("budget name must be 1 to 64 letters, digits, '.', '_' or '-', was 'bad:name'");
    }

    private static int drainOf(UpstreamBudget budget) {
        int granted = 0;
        while (budget.tryAcquire(Priority.USER, Duration.ZERO)) {
            granted++;
        }
        return granted;
    }
}
