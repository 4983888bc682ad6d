package io.huddle.redis;

import io.huddle.core.cache.CachePort;
import io.huddle.core.cache.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;

@DisplayName("The Redis port keeps the port contract on a standalone Redis")
class RedisCachePortTest extends RedisContractKit {
    private final String prefix = TestRedis.newPrefix();

    @Override
    protected CachePort createPort(ManualClock clock) {
        return TestRedis.portOn(prefix).build();
    }

    @AfterEach
    void deleteOwnKeys() {
        TestRedis.deletePrefix(prefix);
    }
}
