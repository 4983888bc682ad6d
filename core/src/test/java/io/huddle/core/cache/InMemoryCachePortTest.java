package io.huddle.core.cache;

import org.junit.jupiter.api.DisplayName;

@DisplayName("The in-memory reference port keeps the port contract")
class InMemoryCachePortTest extends CachePortContractKit {
    @Override
    protected CachePort createPort(ManualClock clock) {
        return new InMemoryCachePort(clock);
    }
}
