package io.huddle.micrometer;

import static io.huddle.micrometer.MeteredCache.NUMBERS;
import static io.huddle.micrometer.MeteredCache.WORDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.huddle.core.SharedCache;
import io.huddle.core.api.CacheLoadException;
import io.huddle.core.api.DataKind;
import io.huddle.core.api.Loaded;
import io.huddle.core.memory.InMemoryCachePort;
import io.huddle.testkit.ManualClock;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The load timer times every loader call, by kind and result")
class MicrometerStatsCounterTest {
    private final MeteredCache metered = MeteredCache.start();
    private final SharedCache cache = metered.cache;

    @AfterEach
    void close() {
        metered.close();
    }

    private Timer timer(DataKind<?> kind, String result) {
        return metered.registry
                .get("huddle.cache.load.duration")
                .tags("cache", MeteredCache.NAME, "kind", kind.name(), "result", result)
                .timer();
    }

    @Test
    @DisplayName("each load is timed once, under its kind and result; the timer's total is the engine's load time")
    void loadsByKindAndResult() {
        cache.get(WORDS, "a", id -> Loaded.of("A")); // a load that succeeds
        cache.get(WORDS, "a", id -> Loaded.of("A")); // a hit: no load
        assertThatThrownBy(() -> cache.get(WORDS, "b", id -> {
                    throw new IllegalStateException("the upstream answered 503");
                }))
                .isInstanceOf(CacheLoadException.class);
        cache.get(NUMBERS, "1", id -> Loaded.of(1));
        cache.get(NUMBERS, "2", id -> Loaded.of(2));

        assertThat(timer(WORDS, "success").count()).isEqualTo(1);
        assertThat(timer(WORDS, "failure").count()).isEqualTo(1);
        assertThat(timer(NUMBERS, "success").count()).isEqualTo(2);
        assertThat(timer(NUMBERS, "failure").count()).isZero();
        double timed = timer(WORDS, "success").totalTime(TimeUnit.NANOSECONDS)
                + timer(WORDS, "failure").totalTime(TimeUnit.NANOSECONDS);
        assertThat(timed).isEqualTo((double) cache.stats(WORDS).totalLoadTimeNanos());
    }

    @Test
    @DisplayName("the 50th, 95th and 99th percentiles are published")
    void percentiles() {
        cache.get(WORDS, "a", id -> Loaded.of("A"));

        ValueAtPercentile[] percentiles = timer(WORDS, "success").takeSnapshot().percentileValues();

        assertThat(Arrays.stream(percentiles).map(ValueAtPercentile::percentile))
                .containsExactly(0.5, 0.95, 0.99);
    }

    @Test
    @DisplayName("the engine's snapshot still counts everything: the counter delegates the counting")
    void snapshotStaysWhole() {
        cache.get(WORDS, "a", id -> Loaded.of("A", 2));
        cache.get(WORDS, "a", id -> Loaded.of("A", 2));

        assertThat(cache.stats(WORDS).hits()).isEqualTo(1);
        assertThat(cache.stats(WORDS).misses()).isEqualTo(1);
        assertThat(cache.stats(WORDS).upstreamCalls()).isEqualTo(2);
        assertThat(cache.stats(WORDS).upstreamCallsSaved()).isEqualTo(2);
    }

    @Test
    @DisplayName("a registry that refuses the timers costs the kind its timers, never a request")
    void refusedTimers() {
        SimpleMeterRegistry refusing = new SimpleMeterRegistry();
        refusing.config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                if (id.getName().equals("huddle.cache.load.duration")) {
                    throw new IllegalStateException("this registry takes no timers");
                }
                return id;
            }
        });
        ManualClock clock = new ManualClock();
        try (SharedCache refused = SharedCache.builder(new InMemoryCachePort(clock))
                .clock(clock)
                .statsCounterPerKind(MicrometerStatsCounter.perKind(refusing, "refused"))
                .build()) {
            assertThat(refused.get(WORDS, "a", id -> Loaded.of("A"))).contains("A");

            assertThat(refused.stats(WORDS).misses()).isEqualTo(1);
            assertThat(refusing.find("huddle.cache.load.duration").timers()).isEmpty();
        }
    }

    @Test
    @DisplayName("a blank cache name is refused at once, naming it")
    void blankName() {
        assertThatThrownBy(() -> MicrometerStatsCounter.perKind(metered.registry, ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cacheName");
    }
}
