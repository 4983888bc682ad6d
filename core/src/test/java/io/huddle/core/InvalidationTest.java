package io.huddle.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.huddle.core.api.CachePolicy;
import io.huddle.core.api.DataKind;
import io.huddle.core.api.Loaded;
import io.huddle.core.api.Loader;
import io.huddle.core.memory.InMemoryCachePort;
import io.huddle.core.memory.InProcessInvalidationBus;
import io.huddle.testkit.ManualClock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Invalidation reaches every engine on the bus")
class InvalidationTest {
    private final ManualClock clock = new ManualClock();
    private final InProcessInvalidationBus bus = new InProcessInvalidationBus();
    private final SharedCache serverA = SharedCache.builder(new InMemoryCachePort(clock))
            .clock(clock)
            .invalidationBus(bus)
            .build();
    private final SharedCache serverB = SharedCache.builder(new InMemoryCachePort(clock))
            .clock(clock)
            .invalidationBus(bus)
            .build();
    private final DataKind<String> kind = EngineFixtures.kind(CachePolicy.builder(Duration.ofHours(1))
            .staleWhileRevalidate(Duration.ofMinutes(6))
            .staleIfError(Duration.ofHours(24))
            .build());
    private final AtomicInteger loads = new AtomicInteger();
    private final Loader<String> loader = id -> Loaded.of("v" + loads.incrementAndGet());

    @AfterEach
    void close() {
        serverA.close();
        serverB.close();
        bus.close();
    }

    @Test
    @DisplayName("a key invalidated on one server is dropped from the other's local tier")
    void oneKey() {
        serverA.get(kind, "k", loader);
        serverB.get(kind, "k", loader);
        serverB.get(kind, "other", loader);

        serverA.invalidate(kind, "k");

        assertThat(serverB.get(kind, "k", loader)).contains("v4");
        assertThat(serverB.get(kind, "other", loader)).as("other keys stay").contains("v3");
        assertThat(serverA.get(kind, "k", loader)).contains("v5");
    }

    @Test
    @DisplayName("a kind invalidated on one server is dropped from the other")
    void wholeKind() {
        serverB.get(kind, "a", loader);
        serverB.get(kind, "b", loader);

        serverA.invalidateAll(kind);

        assertThat(serverB.stats(kind).entries()).isZero();
    }
}
