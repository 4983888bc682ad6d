package io.huddle.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.huddle.core.api.CachePolicy;
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

@DisplayName("Negative caching: \"not found\" is remembered for its own ttl")
class NegativeCachingTest {
    private final ManualClock clock = new ManualClock();
    private final SharedCache cache =
            SharedCache.builder(new InMemoryCachePort(clock)).clock(clock).build();
    private final AtomicInteger lookups = new AtomicInteger();
    private final Loader<String> nobody = id -> {
        lookups.incrementAndGet();
        return Loaded.notFound();
    };

    @AfterEach
    void close() {
        cache.close();
    }

    @Test
    @DisplayName("not found is answered from the cache until the negative ttl ends, then asked again")
    void remembered() {
        DataKind<String> kind = EngineFixtures.kind(CachePolicy.builder(Duration.ofHours(24))
                .negativeTtl(Duration.ofMinutes(5))
                .build());

        assertThat(cache.get(kind, "Tom Bardy", nobody)).isEmpty();
        clock.advance(Duration.ofMinutes(4));
        assertThat(cache.get(kind, "Tom Bardy", nobody)).isEmpty();
        assertThat(lookups).as("remembered within the negative ttl").hasValue(1);

        clock.advance(Duration.ofMinutes(2));
        assertThat(cache.get(kind, "Tom Bardy", nobody)).isEmpty();
        assertThat(lookups).as("asked again after it").hasValue(2);
        assertThat(cache.stats(kind).negativeHits()).isEqualTo(1);
    }

    @Test
    @DisplayName("a zero negative ttl does not cache not-found at all")
    void zeroTtl() {
        DataKind<String> kind = EngineFixtures.kind(CachePolicy.builder(Duration.ofHours(1))
                .negativeTtl(Duration.ZERO)
                .build());

        cache.get(kind, "x", nobody);
        cache.get(kind, "x", nobody);

        assertThat(lookups).hasValue(2);
    }

    @Test
    @DisplayName("a not-found entry is never served stale")
    void neverStale() {
        DataKind<String> kind = EngineFixtures.kind(CachePolicy.builder(Duration.ofHours(1))
                .negativeTtl(Duration.ofMinutes(1))
                .staleWhileRevalidate(Duration.ofHours(1))
                .build());
        cache.get(kind, "x", nobody);
        clock.advance(Duration.ofMinutes(2));

        assertThat(cache.get(kind, "x", id -> Loaded.of("now found"))).contains("now found");
    }
}
