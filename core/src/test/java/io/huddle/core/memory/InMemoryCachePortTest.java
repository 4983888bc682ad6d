package io.huddle.core.memory;

import io.huddle.core.spi.CachePort;
import io.huddle.testkit.CachePortContractKit;
import io.huddle.testkit.ManualClock;
import org.junit.jupiter.api.DisplayName;

@DisplayName("The in-memory reference port keeps the port contract")
class InMemoryCachePortTest extends CachePortContractKit {
    @Override
    protected CachePort createPort(ManualClock clock) {
        return new InMemoryCachePort(clock);
    }
}
