package io.huddle.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.huddle.core.api.BulkLoaded;
import io.huddle.core.api.CacheLoadException;
import io.huddle.core.api.CachePolicy;
import io.huddle.core.api.CacheStatistics;
import io.huddle.core.api.ConcurrentStatsCounter;
import io.huddle.core.api.DataKind;
import io.huddle.core.api.Loaded;
import io.huddle.core.memory.InMemoryCachePort;
import io.huddle.testkit.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Statistics count exactly what happened")
class StatisticsTest {
    private final ManualClock clock = new ManualClock();
    // loads run on the calling thread, so that a background refresh has finished when get returns
    private final SharedCache cache = SharedCache.builder(new InMemoryCachePort(clock))
            .clock(clock)
            .loadExecutor(Runnable::run)
            .build();
    private final DataKind<String> words = EngineFixtures.kind(CachePolicy.builder(Duration.ofMinutes(1))
            .staleWhileRevalidate(Duration.ofMinutes(1))
            .negativeTtl(Duration.ofMinutes(10))
            .build());
    private final DataKind<Integer> numbers =
            DataKind.of("numbers", Integer.class, CachePolicy.ofTtl(Duration.ofMinutes(1)));

    @AfterEach
    void close() {
        cache.close();
    }

    @Test
    @DisplayName("a scripted sequence of requests gives exactly the expected counters")
    void scripted() {
        cache.get(words, "a", id -> Loaded.of("A", 3)); // miss, load, 3 calls
        cache.get(words, "a", id -> Loaded.of("A", 3)); // hit, saves 3
        cache.get(words, "a", id -> Loaded.of("A", 3)); // hit, saves 3
        cache.get(words, "b", id -> Loaded.notFound(1)); // miss, load, 1 call
        cache.get(words, "b", id -> Loaded.notFound(1)); // negative hit, saves 1
        clock.advance(Duration.ofSeconds(90));
        cache.get(words, "a", id -> Loaded.of("A2", 3)); // stale served, saves 3; refresh: load, 3 calls
        cache.getAll(words, List.of("a", "c", "d"), ids -> BulkLoaded.of(Map.of("c", "C"), 2));
        // a: hit, saves 3; c and d: misses, one load, 2 calls shared 1 + 1
        assertThatThrownBy(() -> cache.get(words, "e", id -> {
                    throw new IllegalStateException("503");
                }))
                .isInstanceOf(CacheLoadException.class); // miss, load, failure
        cache.get(numbers, "1", id -> Loaded.of(1)); // another kind: miss, load, 1 call

        CacheStatistics wordStats = cache.stats(words);
        assertThat(wordStats)
                .isEqualTo(CacheStatistics.builder()
                        .requests(10)
                        .hits(3)
                        .negativeHits(1)
                        .staleServed(1)
                        .coalescedWaits(0)
                        .misses(5)
                        .loads(5) // a, b, refresh of a, bulk of c and d, e
                        .loadFailures(1)
                        .upstreamCalls(9) // 3 + 1 + 3 + 2
                        .upstreamCallsSaved(13) // 3 + 3 + 1 + 3 + 3
                        .backendErrors(0)
                        .failSafeThrottled(0)
                        .refreshesSkipped(0)
                        .loadsAbandoned(0)
                        .totalLoadTimeNanos(wordStats.totalLoadTimeNanos()) // real time: not scripted
                        .entries(4) // a, b (not found), c, d (not found)
                        .evictions(0)
                        .unreadable(0)
                        .build());
        assertThat(cache.stats()).isEqualTo(cache.stats(words).plus(cache.stats(numbers)));
        assertThat(cache.statsByKind()).containsOnlyKeys("words", "numbers");
    }

    @Test
    @DisplayName("the five outcomes add up to the requests, and the rates follow from them")
    void outcomesAddUp() {
        cache.get(words, "a", id -> Loaded.of("A"));
        cache.get(words, "a", id -> Loaded.of("A"));
        cache.get(words, "a", id -> Loaded.of("A"));
        cache.get(words, "z", id -> Loaded.notFound());

        CacheStatistics stats = cache.stats();

        assertThat(stats.hits() + stats.negativeHits() + stats.staleServed() + stats.coalescedWaits() + stats.misses())
                .isEqualTo(stats.requests());
        assertThat(stats.hitRate()).isEqualTo(0.5);
        assertThat(stats.upstreamAvoidanceRate()).isEqualTo(0.5);
    }

    @Test
    @DisplayName("snapshots subtract, so that a run can be measured on its own")
    void minus() {
        cache.get(words, "a", id -> Loaded.of("A"));
        CacheStatistics before = cache.stats();
        cache.get(words, "a", id -> Loaded.of("A"));

        CacheStatistics run = cache.stats().minus(before);

        assertThat(run.requests()).isEqualTo(1);
        assertThat(run.hits()).isEqualTo(1);
        assertThat(run.misses()).isZero();
        assertThat(CacheStatistics.EMPTY.hitRate()).isEqualTo(1.0);
    }

    @Test
    @DisplayName("a derived value makes no upstream call of its own, yet each request it answers saves what it cost")
    void derived() {
        cache.get(numbers, "1", id -> Loaded.of(1, 5)); // the data the index is built from: 5 calls
        cache.get(words, "index", id -> Loaded.derived("built from numbers", 5)); // miss, load, 0 calls
        cache.get(words, "index", id -> Loaded.derived("built from numbers", 5)); // hit, saves 5
        cache.get(words, "none", id -> Loaded.derivedNotFound(2)); // miss, load, 0 calls
        cache.get(words, "none", id -> Loaded.derivedNotFound(2)); // negative hit, saves 2

        assertThat(cache.stats(words).upstreamCalls()).isZero();
        assertThat(cache.stats(words).upstreamCallsSaved()).isEqualTo(7);
        assertThat(cache.stats().upstreamCalls()).isEqualTo(5);
    }

    @Test
    @DisplayName("an application's own counter, one per kind, receives the events and reports the kind")
    void pluggedCounter() {
        List<ConcurrentStatsCounter> made = new ArrayList<>();
        try (SharedCache own = SharedCache.builder(new InMemoryCachePort(clock))
                .clock(clock)
                .loadExecutor(Runnable::run)
                .statsCounter(() -> {
                    ConcurrentStatsCounter counter = new ConcurrentStatsCounter();
                    made.add(counter);
                    return counter;
                })
                .build()) {
            own.get(words, "a", id -> Loaded.of("A", 2)); // miss, load, 2 calls
            own.get(words, "a", id -> Loaded.of("A", 2)); // hit, saves 2
            own.get(numbers, "1", id -> Loaded.of(1)); // another kind, another counter

            assertThat(made).hasSize(2);
            CacheStatistics recorded = made.get(0).snapshot();
            assertThat(recorded.requests()).isEqualTo(2);
            assertThat(recorded.hits()).isEqualTo(1);
            assertThat(recorded.misses()).isEqualTo(1);
            assertThat(recorded.upstreamCalls()).isEqualTo(2);
            assertThat(recorded.upstreamCallsSaved()).isEqualTo(2);
            assertThat(own.stats(words))
                    .isEqualTo(recorded.toBuilder().entries(1).build());
        }
    }

    @Test
    @DisplayName("a counter factory that is given the kind makes one counter per kind, on the kind's first request")
    void counterPerKind() {
        Map<String, ConcurrentStatsCounter> made = new LinkedHashMap<>();
        try (SharedCache own = SharedCache.builder(new InMemoryCachePort(clock))
                .clock(clock)
                .loadExecutor(Runnable::run)
                .statsCounterPerKind(kind -> {
                    ConcurrentStatsCounter counter = new ConcurrentStatsCounter();
                    made.put(kind.name(), counter);
                    return counter;
                })
                .build()) {
            assertThat(made).as("no kind asked for yet").isEmpty();

            own.get(words, "a", id -> Loaded.of("A")); // miss, load
            own.get(words, "a", id -> Loaded.of("A")); // hit
            own.get(numbers, "1", id -> Loaded.of(1)); // miss, load

            assertThat(made).containsOnlyKeys("words", "numbers");
            assertThat(made.get("words").snapshot().hits()).isEqualTo(1);
            assertThat(made.get("numbers").snapshot().hits()).isZero();
            assertThat(own.stats(numbers).misses()).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("a counter factory that returns null fails the request naming the kind")
    void nullCounter() {
        try (SharedCache own = SharedCache.builder(new InMemoryCachePort(clock))
                .clock(clock)
                .statsCounterPerKind(kind -> null)
                .build()) {
            assertThatThrownBy(() -> own.get(words, "a", id -> Loaded.of("A")))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("'words'");
        }
    }

    @Test
    @DisplayName("a request that waits for its load is counted before it ends; a hit counts as its own request")
    void requestsUnderWay() throws Exception {
        try (SharedCache threaded =
                SharedCache.builder(new InMemoryCachePort(clock)).clock(clock).build()) {
            CountDownLatch loading = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Optional<String>> waiting =
                    CompletableFuture.supplyAsync(() -> threaded.get(words, "a", id -> {
                        loading.countDown();
                        EngineFixtures.await(release);
                        return Loaded.of("A");
                    }));
            EngineFixtures.await(loading);

            CacheStatistics underWay = threaded.stats(words);
            assertThat(underWay.requests()).isEqualTo(1);
            assertThat(underWay.misses()).isZero();

            release.countDown();
            assertThat(waiting.get(30, TimeUnit.SECONDS)).contains("A");
            threaded.get(words, "a", id -> Loaded.of("A"));

            CacheStatistics ended = threaded.stats(words);
            assertThat(ended.requests()).isEqualTo(2);
            assertThat(ended.misses()).isEqualTo(1);
            assertThat(ended.hits()).isEqualTo(1);
        }
    }
}
