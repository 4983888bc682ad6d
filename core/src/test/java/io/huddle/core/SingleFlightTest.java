package io.huddle.core;

import static io.huddle.core.EngineFixtures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.huddle.core.api.CacheLoadException;
import io.huddle.core.api.CacheLoadTimeoutException;
import io.huddle.core.api.CachePolicy;
import io.huddle.core.api.CacheStatistics;
import io.huddle.core.api.DataKind;
import io.huddle.core.api.Loaded;
import io.huddle.core.api.Loader;
import io.huddle.core.memory.InMemoryCachePort;
import io.huddle.testkit.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Single flight: one load per key however many callers arrive")
class SingleFlightTest {
    private static final int CALLERS = 200;

    private final ManualClock clock = new ManualClock();
    private final EngineFixtures.CountingCoordinator coordinator = new EngineFixtures.CountingCoordinator();
    private final DataKind<String> kind = EngineFixtures.kind(CachePolicy.builder(EngineFixtures.TTL)
            .loadTimeout(Duration.ofSeconds(30))
            .build());
    private final SharedCache cache = SharedCache.builder(new InMemoryCachePort(clock))
            .clock(clock)
            .coordinator(coordinator)
            .build();
    private final ExecutorService callers = Executors.newFixedThreadPool(CALLERS);

    @AfterEach
    void close() {
        callers.shutdownNow();
        cache.close();
    }

    private List<Future<Optional<String>>> askConcurrently(String id, Loader<String> loader) {
        List<Future<Optional<String>>> answers = new ArrayList<>();
        for (int i = 0; i < CALLERS; i++) {
            answers.add(callers.submit(() -> cache.get(kind, id, loader)));
        }
        return answers;
    }

    @Test
    @DisplayName("200 callers of one cold key: the loader runs once, 199 are coalesced, all get its value")
    void oneLoad() throws Exception {
        CountDownLatch everyoneClaimed = coordinator.expectClaims(CALLERS);
        AtomicInteger loads = new AtomicInteger();
        Loader<String> slowLoader = id -> {
            loads.incrementAndGet();
            await(everyoneClaimed);
            return Loaded.of("Mahomes", 2);
        };

        List<Future<Optional<String>>> answers = askConcurrently("15", slowLoader);

        for (Future<Optional<String>> answer : answers) {
            assertThat(answer.get()).contains("Mahomes");
        }
        assertThat(loads).hasValue(1);
        CacheStatistics stats = cache.stats(kind);
        assertThat(stats.misses()).isEqualTo(1);
        assertThat(stats.coalescedWaits()).isEqualTo(CALLERS - 1);
        assertThat(stats.hits()).isZero();
        assertThat(stats.loads()).isEqualTo(1);
        assertThat(stats.upstreamCalls()).isEqualTo(2);
        assertThat(stats.upstreamCallsSaved()).isEqualTo(2L * (CALLERS - 1));
    }

    @Test
    @DisplayName("a failing load reaches every caller as the same typed error, and is not cached")
    void sharedFailure() throws Exception {
        CountDownLatch everyoneClaimed = coordinator.expectClaims(CALLERS);
        AtomicInteger loads = new AtomicInteger();
        IllegalStateException upstreamDown = new IllegalStateException("upstream answered 503");
        Loader<String> failing = id -> {
            loads.incrementAndGet();
            await(everyoneClaimed);
            throw upstreamDown;
        };

        for (Future<Optional<String>> answer : askConcurrently("15", failing)) {
            assertThatThrownBy(answer::get)
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOf(CacheLoadException.class)
                    .hasMessageContaining("words:15")
                    .hasCause(upstreamDown)
                    .extracting(e -> ((CacheLoadException) e).getCause())
                    .isSameAs(upstreamDown);
        }
        assertThat(loads).hasValue(1);
        assertThat(cache.stats(kind).loadFailures()).isEqualTo(1);

        assertThat(cache.get(kind, "15", id -> Loaded.of("recovered"))).contains("recovered");
        assertThat(cache.stats(kind).loads()).as("the failure was not cached").isEqualTo(2);
    }

    @Test
    @DisplayName("different keys load in parallel: a slow key does not hold up another")
    void keysInParallel() throws Exception {
        CountDownLatch releaseSlow = new CountDownLatch(1);
        CompletableFuture<Optional<String>> slow = CompletableFuture.supplyAsync(
                () -> cache.get(kind, "slow", id -> {
                    await(releaseSlow);
                    return Loaded.of("slow value");
                }),
                callers);

        Optional<String> fast = cache.get(kind, "fast", id -> Loaded.of("fast value"));

        assertThat(fast).contains("fast value");
        assertThat(slow).as("the slow load is still running").isNotDone();
        releaseSlow.countDown();
        assertThat(slow.get()).contains("slow value");
    }

    @Test
    @DisplayName("once a load has finished, the next caller is a hit, not a second load")
    void afterTheLoad() {
        AtomicInteger loads = new AtomicInteger();
        Loader<String> loader = id -> Loaded.of("v" + loads.incrementAndGet());

        cache.get(kind, "k", loader);
        Optional<String> second = cache.get(kind, "k", loader);

        assertThat(second).contains("v1");
        assertThat(loads).hasValue(1);
        assertThat(cache.stats(kind).hits()).isEqualTo(1);
    }

    @Test
    @DisplayName("a caller waits at most the load timeout, with a typed error naming the key")
    void loadTimeout() {
        DataKind<String> impatient = DataKind.of(
                "impatient",
                String.class,
                CachePolicy.builder(EngineFixtures.TTL)
                        .loadTimeout(Duration.ofMillis(100))
                        .build());
        CountDownLatch never = new CountDownLatch(1);
        try {
            assertThatThrownBy(() -> cache.get(impatient, "k", id -> {
                        await(never);
                        return Loaded.of("late");
                    }))
                    .isInstanceOf(CacheLoadTimeoutException.class)
                    .hasMessageContaining("impatient:k")
                    .hasMessageContaining("PT0.1S");
        } finally {
            never.countDown();
        }
    }
}
