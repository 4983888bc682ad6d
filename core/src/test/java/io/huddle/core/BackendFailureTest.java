package io.huddle.core;

import static io.huddle.core.EngineFixtures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.huddle.core.api.BulkLoaded;
import io.huddle.core.api.CachePolicy;
import io.huddle.core.api.CacheStatistics;
import io.huddle.core.api.DataKind;
import io.huddle.core.api.Loaded;
import io.huddle.core.api.Loader;
import io.huddle.testkit.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A backend that fails every call")
class BackendFailureTest {
    private final ManualClock clock = new ManualClock();
    private final EngineFixtures.BrokenPort broken = new EngineFixtures.BrokenPort();
    private final EngineFixtures.CountingCoordinator coordinator = new EngineFixtures.CountingCoordinator();
    private final SharedCache cache =
            SharedCache.builder(broken).clock(clock).coordinator(coordinator).build();
    private final DataKind<String> kind = EngineFixtures.kind(CachePolicy.builder(EngineFixtures.TTL)
            .loadTimeout(Duration.ofSeconds(30))
            .build());

    @AfterEach
    void close() {
        cache.close();
    }

    @Test
    @DisplayName("the engine still answers through the loader and counts backend errors")
    void answersThroughLoader() {
        assertThat(cache.get(kind, "k", id -> Loaded.of("v"))).contains("v");
        assertThat(cache.getAll(kind, List.of("a", "b"), ids -> BulkLoaded.of(Map.of("a", "A"), 1)))
                .containsExactly(Map.entry("a", "A"));

        CacheStatistics stats = cache.stats(kind);
        assertThat(stats.backendErrors()).isGreaterThanOrEqualTo(2);
        assertThat(stats.misses()).isEqualTo(3);
        assertThat(stats.entries()).isZero();
    }

    @Test
    @DisplayName("single flight still holds: 50 callers of a cold key cost one load")
    void singleFlightHolds() throws Exception {
        int callers = 50;
        CountDownLatch everyoneClaimed = coordinator.expectClaims(callers);
        AtomicInteger loads = new AtomicInteger();
        Loader<String> slow = id -> {
            loads.incrementAndGet();
            await(everyoneClaimed);
            return Loaded.of("v");
        };
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<Optional<String>>> answers = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                answers.add(pool.submit(() -> cache.get(kind, "k", slow)));
            }
            for (Future<Optional<String>> answer : answers) {
                assertThat(answer.get()).contains("v");
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(loads).hasValue(1);
        assertThat(cache.stats(kind).coalescedWaits()).isEqualTo(callers - 1);
    }

    @Test
    @DisplayName("invalidation and statistics do not fail either")
    void nothingThrows() {
        assertThatCode(() -> {
                    cache.invalidate(kind, "k");
                    cache.invalidateAll(kind);
                    cache.stats();
                    cache.statsByKind();
                })
                .doesNotThrowAnyException();
        assertThat(broken.calls).hasValueGreaterThanOrEqualTo(2);
        assertThat(cache.stats(kind).backendErrors()).isEqualTo(2);
    }
}
