package io.huddle.core.memory;

import io.huddle.core.spi.InvalidationBus;
import io.huddle.testkit.InvalidationBusContractKit;
import org.junit.jupiter.api.DisplayName;

@DisplayName("The in-process invalidation bus keeps the bus contract")
class InProcessInvalidationBusContractTest extends InvalidationBusContractKit {
    @Override
    protected InvalidationBus createBus() {
        return new InProcessInvalidationBus();
    }

    /** Engines in one process share the bus. */
    @Override
    protected InvalidationBus createPeer(InvalidationBus bus) {
        return bus;
    }
}
