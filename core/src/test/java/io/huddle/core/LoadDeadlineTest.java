package io.huddle.core;

import static io.huddle.core.EngineFixtures.TTL;
import static io.huddle.core.EngineFixtures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.huddle.core.api.CacheKey;
import io.huddle.core.api.CacheLoadTimeoutException;
import io.huddle.core.api.CachePolicy;
import io.huddle.core.api.CacheStatistics;
import io.huddle.core.api.DataKind;
import io.huddle.core.api.Loaded;
import io.huddle.core.api.Loader;
import io.huddle.core.memory.InMemoryCachePort;
import io.huddle.core.memory.InProcessLoadCoordinator;
import io.huddle.testkit.ManualClock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A load past its maximum load time is abandoned and cannot hold its key")
class LoadDeadlineTest {
    private static final Duration MAX_LOAD_TIME = Duration.ofMillis(200);

    private final ManualClock clock = new ManualClock();
    private final InMemoryCachePort port = new InMemoryCachePort(clock);
    private final InProcessLoadCoordinator coordinator = new InProcessLoadCoordinator();
    private final SharedCache cache =
            SharedCache.builder(port).clock(clock).coordinator(coordinator).build();
    private final DataKind<String> kind = EngineFixtures.kind(CachePolicy.builder(TTL)
            .loadTimeout(MAX_LOAD_TIME)
            .maxLoadTime(MAX_LOAD_TIME)
            .build());
    private final CountDownLatch hangs = new CountDownLatch(1);
    private final CountDownLatch hungReturned = new CountDownLatch(1);
    private final Loader<String> hung = id -> {
        try {
            await(hangs);
            return Loaded.of("late");
        } finally {
            hungReturned.countDown();
        }
    };

    @AfterEach
    void close() {
        hangs.countDown();
        cache.close();
    }

    @Test
    @DisplayName("the caller gets a typed timeout, and the next caller loads afresh at once")
    void nextCallerLoads() {
        assertThatThrownBy(() -> cache.get(kind, "k", hung)).isInstanceOf(CacheLoadTimeoutException.class);
        awaitNoLoadInFlight();

        AtomicInteger loads = new AtomicInteger();
        assertThat(cache.get(kind, "k", id -> {
                    loads.incrementAndGet();
                    return Loaded.of("fresh");
                }))
                .contains("fresh");

        assertThat(loads).as("a load of its own, not a wait on the hung one").hasValue(1);
        CacheStatistics stats = cache.stats(kind);
        assertThat(stats.loadsAbandoned()).isEqualTo(1);
        assertThat(stats.coalescedWaits()).isZero();
    }

    @Test
    @DisplayName("with a stale value, the caller of an abandoned load gets it, and the key is freed")
    void staleServedAndKeyFreed() {
        DataKind<String> lenient = EngineFixtures.kind(CachePolicy.builder(TTL)
                .staleIfError(Duration.ofHours(1))
                .loadTimeout(MAX_LOAD_TIME)
                .maxLoadTime(MAX_LOAD_TIME)
                .failSafeThrottle(Duration.ZERO)
                .build());
        cache.get(lenient, "k", id -> Loaded.of("old"));
        clock.advance(TTL.plusSeconds(1));

        assertThat(cache.get(lenient, "k", hung)).contains("old");
        awaitNoLoadInFlight();

        assertThat(cache.stats(lenient).loadsAbandoned()).isEqualTo(1);
        assertThat(cache.get(lenient, "k", id -> Loaded.of("new"))).contains("new");
    }

    @Test
    @DisplayName("a late result is stored when nothing newer came meanwhile")
    void lateResultStored() {
        assertThatThrownBy(() -> cache.get(kind, "k", hung)).isInstanceOf(CacheLoadTimeoutException.class);
        hangs.countDown();
        await(hungReturned);

        assertThat(eventually(() -> storedValue("k"))).contains("late");
    }

    @Test
    @DisplayName("a late result never replaces a value a newer load stored")
    void lateResultNeverOverwritesNewer() {
        assertThatThrownBy(() -> cache.get(kind, "k", hung)).isInstanceOf(CacheLoadTimeoutException.class);
        awaitNoLoadInFlight();
        clock.advance(Duration.ofSeconds(1));
        assertThat(cache.get(kind, "k", id -> Loaded.of("newer"))).contains("newer");

        hangs.countDown();
        await(hungReturned);

        assertThat(storedValue("k")).contains("newer");
        assertThat(cache.get(kind, "k", id -> Loaded.of("unused"))).contains("newer");
    }

    @Test
    @DisplayName("the maximum load time is never shorter than the load timeout and follows it unless set")
    void policyRule() {
        assertThatThrownBy(() -> CachePolicy.builder(TTL)
                        .loadTimeout(Duration.ofSeconds(10))
                        .maxLoadTime(Duration.ofSeconds(5))
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxLoadTime");
        CachePolicy policy = CachePolicy.builder(TTL).build();
        assertThat(policy.maxLoadTime()).isEqualTo(policy.loadTimeout());
        assertThat(policy.toBuilder()
                        .loadTimeout(Duration.ofSeconds(90))
                        .build()
                        .maxLoadTime())
                .isEqualTo(Duration.ofSeconds(90));
    }

    private java.util.Optional<Object> storedValue(String id) {
        return port.get(new CacheKey(kind, id)).flatMap(entry -> entry.value().map(Object.class::cast));
    }

    private void awaitNoLoadInFlight() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (coordinator.loadsInFlight() > 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(coordinator.loadsInFlight()).as("the key was freed").isZero();
    }

    private static <T> java.util.Optional<T> eventually(java.util.function.Supplier<java.util.Optional<T>> read) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        java.util.Optional<T> value = read.get();
        while (value.isEmpty() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            value = read.get();
        }
        return value;
    }
}
