package io.huddle.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.huddle.core.spi.BudgetPlan;
import io.huddle.core.spi.UpstreamBudget.Priority;
import io.huddle.testkit.Eventually;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

@DisplayName("The number of servers an upstream budget learns from Redis")
class RedisBudgetServersIT {
    private static final BudgetPlan PLAN = BudgetPlan.perMinute(60);
    private static final Duration HEARTBEAT = Duration.ofMillis(100);

    private final String prefix = TestRedis.newPrefix();
    private final List<RedisHuddle> ports = new ArrayList<>();

    @AfterEach
    void closePorts() {
        ports.forEach(RedisHuddle::close);
        TestRedis.deletePrefix(prefix);
    }

    private RedisUpstreamBudget learning(String name) {
        RedisHuddle port = TestRedis.redisOn(prefix).build();
        ports.add(port);
        return port.upstreamBudgetBuilder(name, PLAN).heartbeat(HEARTBEAT).buildRedisBudget();
    }

    private List<RedisUpstreamBudget> learning(int count) {
        List<RedisUpstreamBudget> budgets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            budgets.add(learning("plan"));
        }
        return budgets;
    }

    private static void awaitCount(List<RedisUpstreamBudget> budgets, int servers) {
        Eventually.await(
                "every budget counts " + servers + " servers",
                Duration.ofSeconds(10),
                () -> budgets.stream().allMatch(budget -> budget.servers() == servers));
    }

    @Test
    @DisplayName("four budgets of one name each count four servers, and a budget of another name counts itself")
    void four() {
        List<RedisUpstreamBudget> budgets = learning(4);
        RedisUpstreamBudget other = learning("other");

        awaitCount(budgets, 4);
        awaitCount(List.of(other), 1);
        try (UnifiedJedis redis = TestRedis.rawClient()) {
            assertThat(redis.zcard(prefix + ":~budget:plan:servers")).isEqualTo(4);
            assertThat(redis.pttl(prefix + ":~budget:plan:servers"))
                    .as("the set expires unless refreshed")
                    .isPositive();
        }
    }

    @Test
    @DisplayName(
            "a budget closed with its port refuses and is no longer counted, nor one that stopped registering three"
                    + " heartbeats ago")
    void leaving() {
        List<RedisUpstreamBudget> budgets = learning(4);
        awaitCount(budgets, 4);

        ports.get(3).close();
        assertThat(budgets.get(3).tryAcquire(Priority.USER, Duration.ZERO)).isFalse();
        awaitCount(budgets.subList(0, 3), 3);

        budgets.get(2).stopHeartbeat(); // as a server that died
        long stopped = System.nanoTime();
        awaitCount(budgets.subList(0, 2), 2);
        assertThat(Duration.ofNanos(System.nanoTime() - stopped))
                .as("forgotten only after three missed heartbeats")
                .isGreaterThanOrEqualTo(HEARTBEAT.multipliedBy(2));
    }

    @Test
    @DisplayName("a configured count is used as it is, and the budget registers nothing")
    void configured() {
        RedisHuddle port = TestRedis.redisOn(prefix).build();
        ports.add(port);
        RedisUpstreamBudget budget =
                port.upstreamBudgetBuilder("plan", PLAN).servers(4).buildRedisBudget();
        RedisUpstreamBudget learning = learning("plan");

        awaitCount(List.of(learning), 1);
        assertThat(budget.servers()).isEqualTo(4);
    }
}
