package io.huddle.micrometer;

import static io.huddle.micrometer.MeteredCache.NUMBERS;
import static io.huddle.micrometer.MeteredCache.WORDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.huddle.core.SharedCache;
import io.huddle.core.api.CacheLoadException;
import io.huddle.core.api.Loaded;
import io.huddle.core.memory.InMemoryCachePort;
import io.huddle.testkit.Eventually;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("The cache's meters move by what the engine did")
class SharedCacheMetricsTest {
    private final MeteredCache metered = MeteredCache.start();
    private final SharedCache cache = metered.cache;

    @AfterEach
    void close() {
        metered.close();
    }

    private double requests(String result) {
        return metered.count("huddle.cache.requests", WORDS, "result", result);
    }

    @Nested
    @DisplayName("each outcome of a request")
    class Outcomes {
        @Test
        @DisplayName("a miss moves the misses, the loads and the upstream calls, and nothing else")
        void miss() {
            assertThat(cache.get(WORDS, "a", id -> Loaded.of("A", 3))).contains("A");

            assertThat(requests("miss")).isEqualTo(1);
            assertThat(requests("hit")).isZero();
            assertThat(requests("coalesced")).isZero();
            assertThat(metered.count("huddle.cache.loads", WORDS)).isEqualTo(1);
            assertThat(metered.count("huddle.cache.load.failures", WORDS)).isZero();
            assertThat(metered.count("huddle.cache.upstream.calls", WORDS)).isEqualTo(3);
            assertThat(metered.count("huddle.cache.upstream.calls.saved", WORDS))
                    .isZero();
            assertThat(metered.gauge("huddle.cache.entries", WORDS)).isEqualTo(1);
        }

        @Test
        @DisplayName("a hit moves the hits by one and the calls saved by the entry's cost, and loads nothing")
        void hit() {
            cache.get(WORDS, "a", id -> Loaded.of("A", 3));
            double loads = metered.count("huddle.cache.loads", WORDS);

            cache.get(WORDS, "a", id -> Loaded.of("A", 3));

            assertThat(requests("hit")).isEqualTo(1);
            assertThat(requests("miss")).isEqualTo(1);
            assertThat(metered.count("huddle.cache.upstream.calls.saved", WORDS))
                    .isEqualTo(3);
            assertThat(metered.count("huddle.cache.loads", WORDS)).isEqualTo(loads);
        }

        @Test
        @DisplayName("a cached \"not found\" is a negative hit, not a hit")
        void negativeHit() {
            assertThat(cache.get(WORDS, "nobody", id -> Loaded.notFound())).isEmpty();
            assertThat(cache.get(WORDS, "nobody", id -> Loaded.notFound())).isEmpty();

            assertThat(requests("negative_hit")).isEqualTo(1);
            assertThat(requests("hit")).isZero();
        }

        @Test
        @DisplayName("an expired entry is answered stale, once, and its refresh is one more load")
        void stale() {
            cache.get(WORDS, "a", id -> Loaded.of("A", 2));
            metered.clock.advance(Duration.ofSeconds(90)); // past the ttl, within stale-while-revalidate

            assertThat(cache.get(WORDS, "a", id -> Loaded.of("A2", 2))).contains("A");

            assertThat(requests("stale")).isEqualTo(1);
            assertThat(requests("miss")).isEqualTo(1);
            assertThat(metered.count("huddle.cache.loads", WORDS))
                    .as("the load and the refresh")
                    .isEqualTo(2);
            assertThat(metered.count("huddle.cache.upstream.calls.saved", WORDS))
                    .isEqualTo(2);
        }

        @Test
        @DisplayName("a failed load moves the load failures, and the miss that started it")
        void failure() {
            assertThatThrownBy(() -> cache.get(WORDS, "a", id -> {
                        throw new IllegalStateException("the upstream answered 503");
                    }))
                    .isInstanceOf(CacheLoadException.class);

            assertThat(metered.count("huddle.cache.load.failures", WORDS)).isEqualTo(1);
            assertThat(metered.count("huddle.cache.loads", WORDS)).isEqualTo(1);
            assertThat(requests("miss")).isEqualTo(1);
            assertThat(metered.count("huddle.cache.upstream.calls", WORDS)).isZero();
        }

        @Test
        @DisplayName("after a failed refresh the stale value is served without a new attempt: fail-safe throttled")
        void failSafeThrottled() {
            cache.get(WORDS, "a", id -> Loaded.of("A"));
            metered.clock.advance(Duration.ofMinutes(3)); // past stale-while-revalidate, within stale-if-error
            Optional<String> first = cache.get(WORDS, "a", id -> {
                throw new IllegalStateException("the upstream answered 503");
            });
            Optional<String> second = cache.get(WORDS, "a", id -> Loaded.of("never asked"));

            assertThat(first).contains("A");
            assertThat(second).contains("A");
            assertThat(requests("stale")).isEqualTo(2);
            assertThat(metered.count("huddle.cache.failsafe.throttled", WORDS)).isEqualTo(1);
            assertThat(metered.count("huddle.cache.load.failures", WORDS)).isEqualTo(1);
        }
    }

    @Nested
    @DisplayName("a request that waits for another's load")
    class Coalesced {
        private final MeteredCache threaded = MeteredCache.start(engine -> {});

        @AfterEach
        void close() {
            threaded.close();
        }

        @Test
        @DisplayName("is counted as coalesced, and the one load as the leader's miss")
        void coalescedWait() throws Exception {
            CountDownLatch bothClaimed = threaded.coordinator.expectClaims(2);
            CompletableFuture<Optional<String>> leader =
                    CompletableFuture.supplyAsync(() -> threaded.cache.get(WORDS, "a", id -> {
                        MeteredCache.await(bothClaimed);
                        return Loaded.of("A", 2);
                    }));
            CompletableFuture<Optional<String>> follower =
                    CompletableFuture.supplyAsync(() -> threaded.cache.get(WORDS, "a", id -> {
                        MeteredCache.await(bothClaimed);
                        return Loaded.of("A", 2);
                    }));

            assertThat(leader.get(30, TimeUnit.SECONDS)).contains("A");
            assertThat(follower.get(30, TimeUnit.SECONDS)).contains("A");
            assertThat(threaded.count("huddle.cache.requests", WORDS, "result", "coalesced"))
                    .isEqualTo(1);
            assertThat(threaded.count("huddle.cache.requests", WORDS, "result", "miss"))
                    .isEqualTo(1);
            assertThat(threaded.count("huddle.cache.loads", WORDS)).isEqualTo(1);
            assertThat(threaded.count("huddle.cache.upstream.calls.saved", WORDS))
                    .isEqualTo(2);
            assertThat(threaded.cacheCount("huddle.coordinator.leases.taken"))
                    .as("the coordinator's own count: one claim led")
                    .isEqualTo(1);
        }
    }

    @Nested
    @DisplayName("kinds")
    class Kinds {
        @Test
        @DisplayName("each kind has its own meters, and a kind given to the binder reads zero before its first request")
        void perKind() {
            assertThat(metered.count("huddle.cache.requests", NUMBERS, "result", "miss"))
                    .isZero();

            cache.get(NUMBERS, "1", id -> Loaded.of(1));
            cache.get(NUMBERS, "1", id -> Loaded.of(1));

            assertThat(metered.count("huddle.cache.requests", NUMBERS, "result", "hit"))
                    .isEqualTo(1);
            assertThat(requests("hit")).isZero();
            assertThat(metered.gauge("huddle.cache.entries", NUMBERS)).isEqualTo(1);
            assertThat(metered.gauge("huddle.cache.entries", WORDS)).isZero();
        }

        @Test
        @DisplayName("a kind not given is reported when the cache was asked for it before the binder was bound")
        void askedBeforeBinding() {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            try (SharedCache other = SharedCache.builder(new InMemoryCachePort(metered.clock))
                    .clock(metered.clock)
                    .build()) {
                other.get(WORDS, "a", id -> Loaded.of("A"));
                other.get(WORDS, "a", id -> Loaded.of("A"));

                SharedCacheMetrics.builder(other, "other").build().bindTo(registry);

                assertThat(registry.get("huddle.cache.requests")
                                .tags("cache", "other", "kind", "words", "result", "hit")
                                .functionCounter()
                                .count())
                        .isEqualTo(1);
                assertThat(registry.find("huddle.cache.requests")
                                .tag("kind", "numbers")
                                .functionCounters())
                        .as("a kind neither given nor asked for")
                        .isEmpty();
            }
        }
    }

    @Nested
    @DisplayName("the coordinator and the bus")
    class CacheWide {
        @Test
        @DisplayName("report their own counts, tagged with the cache only")
        void coordinatorAndBus() {
            cache.get(WORDS, "a", id -> Loaded.of("A"));
            cache.invalidate(WORDS, "a");
            cache.invalidate(WORDS, "b");

            assertThat(metered.cacheCount("huddle.coordinator.leases.taken")).isEqualTo(1);
            assertThat(metered.cacheCount("huddle.bus.sent")).isEqualTo(2);
            assertThat(metered.cacheCount("huddle.bus.send.failures")).isZero();
            assertThat(metered.registry.get("huddle.bus.sent").meter().getId().getTags())
                    .extracting(tag -> tag.getKey())
                    .containsExactly("cache");
        }
    }

    @Nested
    @DisplayName("one snapshot serves a scrape")
    class Snapshots {
        @Test
        @DisplayName("meters read within the snapshot age show the same snapshot; once it has passed, a new one")
        void snapshotAge() {
            assertThat(requests("miss")).isZero(); // reads a snapshot now

            cache.get(WORDS, "a", id -> Loaded.of("A"));
            double sameScrape = metered.registry
                    .get("huddle.cache.requests")
                    .tags("kind", "words", "result", "miss")
                    .functionCounter()
                    .count();

            assertThat(sameScrape).as("read within the snapshot's second").isZero();
            assertThat(requests("miss")).as("read a second later").isEqualTo(1);
        }

        @Test
        @DisplayName("a snapshot age of zero reads the cache for every meter")
        void noSnapshotAge() {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            SharedCacheMetrics.builder(cache, "fresh")
                    .kinds(WORDS)
                    .maxSnapshotAge(Duration.ZERO)
                    .build()
                    .bindTo(registry);

            cache.get(WORDS, "a", id -> Loaded.of("A"));

            assertThat(registry.get("huddle.cache.requests")
                            .tags("cache", "fresh", "result", "miss")
                            .functionCounter()
                            .count())
                    .isEqualTo(1);
        }

        @Test
        @DisplayName("a negative snapshot age and a blank cache name are refused, naming them")
        void badArguments() {
            assertThatThrownBy(() -> SharedCacheMetrics.builder(cache, "x").maxSnapshotAge(Duration.ofSeconds(-1)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("maxSnapshotAge")
                    .hasMessageContaining("PT-1S");
            assertThatThrownBy(() -> SharedCacheMetrics.builder(cache, " "))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("cacheName");
        }
    }

    @Test
    @DisplayName("hold the cache weakly: a cache the application dropped can be collected, and its gauges read NaN")
    void weaklyHeld() throws InterruptedException {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        java.lang.ref.WeakReference<SharedCache> dropped = bindAndDrop(registry);

        Eventually.await("the dropped cache is collected", Duration.ofSeconds(10), () -> {
            System.gc(); // collection is not promised at once; asked until it happens
            return dropped.get() == null;
        });

        assertThat(dropped.get()).as("the dropped cache, after collections").isNull();
        assertThat(registry.get("huddle.cache.entries").gauge().value()).isNaN();
    }

    private static java.lang.ref.WeakReference<SharedCache> bindAndDrop(SimpleMeterRegistry registry) {
        SharedCache cache = SharedCache.builder(new InMemoryCachePort(new io.huddle.testkit.ManualClock()))
                .build();
        SharedCacheMetrics.builder(cache, "dropped").kinds(WORDS).build().bindTo(registry);
        cache.get(WORDS, "a", id -> Loaded.of("A"));
        cache.close();
        return new java.lang.ref.WeakReference<>(cache);
    }
}
