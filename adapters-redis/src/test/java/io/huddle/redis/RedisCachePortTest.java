package io.huddle.redis;

import io.huddle.core.cache.CachePort;
import io.huddle.core.cache.CachePortContractKit;
import io.huddle.core.cache.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;

@DisplayName("The Redis port keeps the port contract on a standalone Redis")
class RedisCachePortTest extends CachePortContractKit {
    private final String prefix = TestRedis.newPrefix();

    @Override
    protected CachePort createPort(ManualClock clock) {
        return TestRedis.portOn(prefix).build();
    }

    /** Redis expires keys by its own clock: the only way to let time pass is to wait. */
    @Override
    protected void passTime(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        clock.advance(duration);
    }

    @Override
    protected Duration keepFor() {
        return Duration.ofSeconds(1);
    }

    @AfterEach
    void deleteOwnKeys() {
        TestRedis.deletePrefix(prefix);
    }
}
