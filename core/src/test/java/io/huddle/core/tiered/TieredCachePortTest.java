package io.huddle.core.tiered;

import io.huddle.core.memory.InMemoryCachePort;
import io.huddle.core.spi.CachePort;
import io.huddle.testkit.CachePortContractKit;
import io.huddle.testkit.ManualClock;
import org.junit.jupiter.api.DisplayName;

@DisplayName("The tiered port keeps the port contract with a local and a remote in-memory tier")
class TieredCachePortTest extends CachePortContractKit {
    @Override
    protected CachePort createPort(ManualClock clock) {
        return TieredCachePort.builder(new InMemoryCachePort(clock), new InMemoryCachePort(clock))
                .clock(clock)
                .build();
    }
}
