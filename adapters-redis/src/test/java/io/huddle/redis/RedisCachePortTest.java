package io.huddle.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.huddle.core.api.CacheKey;
import io.huddle.core.spi.CachePort;
import io.huddle.core.spi.LoadCoordinator;
import io.huddle.testkit.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

@DisplayName("The Redis port keeps the port contract on a standalone Redis")
class RedisCachePortTest extends RedisContractKit {
    private final String prefix = TestRedis.newPrefix();
    private RedisHuddle redis;

    @Override
    protected CachePort createPort(ManualClock clock) {
        redis = TestRedis.redisOn(prefix).build();
        return redis.cachePort();
    }

    @AfterEach
    void deleteOwnKeys() {
        TestRedis.deletePrefix(prefix);
    }

    @Test
    @DisplayName("subscriptions hold connections of their own, so a pool of one still serves every command")
    void subscriptionsOutsideThePool() {
        try (RedisHuddle small = TestRedis.redisOn(prefix).maxPoolSize(1).build()) {
            small.loadCoordinator();
            small.invalidationBus();
            small.invalidationBus();
            CacheKey key = key(WORDS, "small pool");

            small.cachePort().put(key, word("served"), keepFor());

            assertThat((Object) small.cachePort().get(key).orElseThrow().value().orElseThrow())
                    .isEqualTo("served");
        }
    }

    @Test
    @DisplayName("a fenced write of a zero keep-for removes the entry and leaves the lease to its holder")
    void fencedRemoval() {
        CacheKey key = key(WORDS, "gone");
        store(key, word("old"));
        LoadCoordinator.Claim claim = redis.loadCoordinator().claim(key);

        assertThat(port.putFenced(
                        key, word("gone"), Duration.ZERO, claim.fence().orElseThrow()))
                .isTrue();

        assertThat(port.get(key)).isEmpty();
        try (UnifiedJedis raw = TestRedis.rawClient()) {
            assertThat(raw.pttl(redis.connection().keys().leaseOf(key)))
                    .as("the lease's time left")
                    .isPositive();
        }
        claim.complete(word("gone"));
    }
}
