package io.huddle.core.memory;

import io.huddle.core.spi.LoadCoordinator;
import io.huddle.testkit.LoadCoordinatorContractKit;
import org.junit.jupiter.api.DisplayName;

@DisplayName("The in-process load coordinator keeps the coordinator contract")
class InProcessLoadCoordinatorContractTest extends LoadCoordinatorContractKit {
    @Override
    protected LoadCoordinator createCoordinator() {
        return new InProcessLoadCoordinator();
    }
}
