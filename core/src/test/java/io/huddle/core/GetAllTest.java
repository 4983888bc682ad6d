package io.huddle.core;

import static io.huddle.core.EngineFixtures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.huddle.core.api.BulkLoaded;
import io.huddle.core.api.BulkLoader;
import io.huddle.core.api.CacheLoadException;
import io.huddle.core.api.CachePolicy;
import io.huddle.core.api.CacheStatistics;
import io.huddle.core.api.DataKind;
import io.huddle.core.api.Loaded;
import io.huddle.core.memory.InMemoryCachePort;
import io.huddle.testkit.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Getting many keys at once")
class GetAllTest {
    private final ManualClock clock = new ManualClock();
    private final InMemoryCachePort port = new InMemoryCachePort(clock);
    private final EngineFixtures.CountingCoordinator coordinator = new EngineFixtures.CountingCoordinator();
    private final SharedCache cache =
            SharedCache.builder(port).clock(clock).coordinator(coordinator).build();
    private final DataKind<String> kind = EngineFixtures.kind(CachePolicy.builder(EngineFixtures.TTL)
            .loadTimeout(Duration.ofSeconds(30))
            .build());
    private final List<Set<String>> bulkCalls = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        cache.close();
    }

    private BulkLoader<String> upperCase(int cost) {
        return ids -> {
            bulkCalls.add(ids);
            Map<String, String> found = new java.util.HashMap<>();
            ids.stream().filter(id -> !id.startsWith("unknown")).forEach(id -> found.put(id, id.toUpperCase()));
            return BulkLoaded.of(found, cost);
        };
    }

    @Test
    @DisplayName("loads only the ids the cache lacks, in one loader call")
    void onlyMissing() {
        cache.get(kind, "a", id -> Loaded.of("A"));

        Map<String, String> found = cache.getAll(kind, List.of("a", "b", "c", "b"), upperCase(1));

        assertThat(found).containsOnly(Map.entry("a", "A"), Map.entry("b", "B"), Map.entry("c", "C"));
        assertThat(bulkCalls).containsExactly(Set.of("b", "c"));
    }

    @Test
    @DisplayName("ids the loader does not return are cached as not found")
    void notFound() {
        cache.getAll(kind, List.of("b", "unknown-1"), upperCase(1));
        Map<String, String> again = cache.getAll(kind, List.of("b", "unknown-1"), upperCase(1));

        assertThat(again).containsOnly(Map.entry("b", "B"));
        assertThat(bulkCalls).hasSize(1);
        assertThat(cache.stats(kind).negativeHits()).isEqualTo(1);
    }

    @Test
    @DisplayName("the bulk cost is shared among its entries and adds up")
    void costShared() {
        cache.getAll(kind, List.of("a", "b", "c"), upperCase(5));
        cache.getAll(kind, List.of("a", "b", "c"), upperCase(5));

        CacheStatistics stats = cache.stats(kind);
        assertThat(stats.upstreamCalls()).isEqualTo(5);
        assertThat(stats.upstreamCallsSaved()).isEqualTo(5);
    }

    @Test
    @DisplayName("a key being loaded by a single get is waited for, not loaded again")
    void joinsSingleGet() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            CountDownLatch claimed = coordinator.expectClaims(1);
            CompletableFuture<Optional<String>> single = CompletableFuture.supplyAsync(
                    () -> cache.get(kind, "a", id -> {
                        await(release);
                        return Loaded.of("A from get");
                    }),
                    pool);
            await(claimed);
            CompletableFuture<Map<String, String>> many =
                    CompletableFuture.supplyAsync(() -> cache.getAll(kind, List.of("a", "b"), upperCase(1)));

            List<Set<String>> seen = new ArrayList<>();
            while (seen.isEmpty()) {
                seen.addAll(bulkCalls);
                Thread.onSpinWait();
            }
            release.countDown();

            assertThat(many.get()).containsOnly(Map.entry("a", "A from get"), Map.entry("b", "B"));
            assertThat(single.get()).contains("A from get");
            assertThat(bulkCalls).containsExactly(Set.of("b"));
            assertThat(cache.stats(kind).coalescedWaits()).isEqualTo(1);
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    @DisplayName("a failed bulk load names the first key without a value, and no stale value hides it")
    void failure() {
        assertThatThrownBy(() -> cache.getAll(kind, List.of("a", "b"), ids -> {
                    throw new IllegalStateException("upstream answered 500");
                }))
                .isInstanceOf(CacheLoadException.class)
                .hasMessageContaining("words:")
                .hasMessageContaining("upstream answered 500");
        assertThat(cache.stats(kind).misses()).isEqualTo(2);
    }

    @Test
    @DisplayName("an empty request asks nothing")
    void empty() {
        assertThat(cache.getAll(kind, List.of(), upperCase(1))).isEmpty();
        assertThat(bulkCalls).isEmpty();
    }

    @Test
    @DisplayName("many callers asking for the same ids at once share one loader call for them all")
    void concurrentCallersShareOneBulkLoad() throws Exception {
        List<String> ids = java.util.stream.IntStream.range(0, 200)
                .mapToObj(i -> "id-" + i)
                .toList();
        CountDownLatch release = new CountDownLatch(1);
        BulkLoader<String> slow = asked -> {
            bulkCalls.add(asked);
            release.await();
            Map<String, String> values = new java.util.HashMap<>();
            asked.forEach(id -> values.put(id, id.toUpperCase()));
            return BulkLoaded.of(values, 1);
        };
        int callers = 50;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<java.util.concurrent.Future<Map<String, String>>> answers = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return cache.getAll(kind, ids, slow);
                }));
            }
            CountDownLatch claimed = coordinator.expectClaims(callers * ids.size());
            start.countDown();
            await(claimed);
            release.countDown();
            for (java.util.concurrent.Future<Map<String, String>> answer : answers) {
                assertThat(answer.get()).hasSize(ids.size()).containsEntry("id-7", "ID-7");
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(bulkCalls).hasSize(1);
    }
}
