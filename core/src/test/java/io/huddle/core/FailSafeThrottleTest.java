package io.huddle.core;

import static io.huddle.core.EngineFixtures.TTL;
import static org.assertj.core.api.Assertions.assertThat;

import io.huddle.core.api.BulkLoaded;
import io.huddle.core.api.CachePolicy;
import io.huddle.core.api.CacheStatistics;
import io.huddle.core.api.DataKind;
import io.huddle.core.api.Loaded;
import io.huddle.core.api.Loader;
import io.huddle.core.memory.InMemoryCachePort;
import io.huddle.testkit.ManualClock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The fail-safe throttle: a failing key is served stale without a new attempt for a while")
class FailSafeThrottleTest {
    private static final Duration THROTTLE = Duration.ofSeconds(30);

    private final ManualClock clock = new ManualClock();
    private final SharedCache cache = SharedCache.builder(new InMemoryCachePort(clock))
            .clock(clock)
            .loadExecutor(Runnable::run)
            .build();
    private final AtomicInteger attempts = new AtomicInteger();
    private final Loader<String> failing = id -> {
        attempts.incrementAndGet();
        throw new IllegalStateException("upstream answered 503");
    };

    @AfterEach
    void close() {
        cache.close();
    }

    @Test
    @DisplayName("after a failed load, the stale value is served without a load until the throttle ends")
    void staleIfErrorIsThrottled() {
        DataKind<String> kind = EngineFixtures.kind(CachePolicy.builder(TTL)
                .staleIfError(Duration.ofHours(1))
                .failSafeThrottle(THROTTLE)
                .build());
        cache.get(kind, "k", id -> Loaded.of("old"));
        clock.advance(TTL.plusSeconds(1));

        assertThat(cache.get(kind, "k", failing)).contains("old");
        for (int i = 0; i < 50; i++) {
            assertThat(cache.get(kind, "k", failing)).contains("old");
        }
        assertThat(attempts).as("one attempt within the throttle").hasValue(1);
        clock.advance(THROTTLE);
        assertThat(cache.get(kind, "k", failing)).contains("old");

        assertThat(attempts).as("a new attempt once the throttle ended").hasValue(2);
        CacheStatistics stats = cache.stats(kind);
        assertThat(stats.failSafeThrottled()).isEqualTo(50);
        assertThat(stats.staleServed()).isEqualTo(52);
        assertThat(stats.loads()).isEqualTo(3);
    }

    @Test
    @DisplayName("a failed background refresh is not retried on every stale read")
    void refreshIsThrottled() {
        DataKind<String> kind = EngineFixtures.kind(CachePolicy.builder(TTL)
                .staleWhileRevalidate(Duration.ofMinutes(10))
                .failSafeThrottle(THROTTLE)
                .build());
        cache.get(kind, "k", id -> Loaded.of("old"));
        clock.advance(TTL.plusSeconds(1));

        for (int i = 0; i < 100; i++) {
            assertThat(cache.get(kind, "k", failing)).contains("old");
        }
        assertThat(attempts).hasValue(1);
        clock.advance(THROTTLE.plusSeconds(1));
        assertThat(cache.get(kind, "k", id -> Loaded.of("new"))).contains("old");

        assertThat(cache.get(kind, "k", failing))
                .as("the refresh after the throttle stored its value")
                .contains("new");
        assertThat(cache.stats(kind).failSafeThrottled()).isEqualTo(99);
    }

    @Test
    @DisplayName("a successful load ends the throttle of its key, and other keys are never throttled")
    void successEndsIt() {
        DataKind<String> kind = EngineFixtures.kind(CachePolicy.builder(TTL)
                .staleIfError(Duration.ofHours(1))
                .failSafeThrottle(THROTTLE)
                .build());
        cache.get(kind, "k", id -> Loaded.of("old"));
        cache.get(kind, "other", id -> Loaded.of("other-old"));
        clock.advance(TTL.plusSeconds(1));
        cache.get(kind, "k", failing);

        assertThat(cache.get(kind, "other", id -> Loaded.of("other-new"))).contains("other-new");
        clock.advance(THROTTLE);
        assertThat(cache.get(kind, "k", id -> Loaded.of("new"))).contains("new");
        clock.advance(TTL.plusSeconds(1));
        assertThat(cache.get(kind, "k", failing)).contains("new");
        assertThat(attempts).as("the new failure was attempted at once").hasValue(2);
    }

    @Test
    @DisplayName("a zero throttle tries the upstream on every request, as before")
    void zeroThrottle() {
        DataKind<String> kind = EngineFixtures.kind(CachePolicy.builder(TTL)
                .staleIfError(Duration.ofHours(1))
                .failSafeThrottle(Duration.ZERO)
                .build());
        cache.get(kind, "k", id -> Loaded.of("old"));
        clock.advance(TTL.plusSeconds(1));

        for (int i = 0; i < 5; i++) {
            assertThat(cache.get(kind, "k", failing)).contains("old");
        }
        assertThat(attempts).hasValue(5);
        assertThat(cache.stats(kind).failSafeThrottled()).isZero();
    }

    @Test
    @DisplayName("getAll serves a throttled key stale and loads only the others")
    void getAllThrottles() {
        DataKind<String> kind = EngineFixtures.kind(CachePolicy.builder(TTL)
                .staleIfError(Duration.ofHours(1))
                .failSafeThrottle(THROTTLE)
                .build());
        cache.get(kind, "k", id -> Loaded.of("old"));
        clock.advance(TTL.plusSeconds(1));
        cache.get(kind, "k", failing);
        AtomicInteger bulkIds = new AtomicInteger();

        var found = cache.getAll(kind, java.util.List.of("k", "fresh-one"), ids -> {
            bulkIds.addAndGet(ids.size());
            return BulkLoaded.of(java.util.Map.of("fresh-one", "F"), 1);
        });

        assertThat(found).containsEntry("k", "old").containsEntry("fresh-one", "F");
        assertThat(bulkIds).as("only the unthrottled id was loaded").hasValue(1);
    }
}
