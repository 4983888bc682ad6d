package io.huddle.caffeine;

import io.huddle.core.spi.CachePort;
import io.huddle.testkit.CachePortContractKit;
import io.huddle.testkit.ManualClock;
import org.junit.jupiter.api.DisplayName;

@DisplayName("The Caffeine port keeps the port contract")
class CaffeineCachePortTest extends CachePortContractKit {
    @Override
    protected CachePort createPort(ManualClock clock) {
        return CaffeineCachePort.builder().clock(clock).build();
    }
}
