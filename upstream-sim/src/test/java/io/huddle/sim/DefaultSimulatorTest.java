package io.huddle.sim;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** A test class's simulator with every default, started once for its tests, and a client for it. */
abstract class DefaultSimulatorTest {
    static UpstreamSimulator simulator;
    static SimClient client;

    @BeforeAll
    static void startSimulator() {
        simulator = UpstreamSimulator.builder().build().start();
        client = new SimClient(simulator);
    }

    @AfterAll
    static void stopSimulator() {
        simulator.close();
    }
}
