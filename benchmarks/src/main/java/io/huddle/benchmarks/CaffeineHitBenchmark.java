package io.huddle.benchmarks;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.huddle.caffeine.CaffeineCachePort;
import io.huddle.core.SharedCache;
import io.huddle.core.api.CacheKey;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The cost of a fresh hit through the engine on Caffeine ({@link #engineHit}) against a raw
 * Caffeine lookup of the same values ({@link #rawCaffeineHit}), in average nanoseconds per call. Both
 * caches hold the same {@value HitFixture#KEYS} values, and both benchmarks cycle through the keys.
 *
 * <p>The raw cache is what an application would build by hand: {@code maximumSize} only, keyed by
 * the id. The engine keeps each entry for its own keep-for and decides freshness from the entry's
 * own instants with one reading of its hit clock (on the system clock, as here, a volatile published
 * by a daemon thread, not a clock call); it looks the kind and id up without building a {@code
 * CacheKey}, counts the hit, and returns the entry's {@code Optional}: that is the overhead the ratio
 * measures. {@link #idPortHit}, the port's read alone, shows how that overhead splits between the
 * port and the engine. {@link
 * #rawExpiringCaffeineHit} is a raw Caffeine cache built for the same job by hand: each entry with
 * its own expiry (Caffeine's variable expiry, as keeping each entry for its own keep-for needs; here
 * an hour for all) and statistics recorded.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CaffeineHitBenchmark {
    private static final InstantSource CLOCK = InstantSource.system();

    private HitFixture fixture;
    private SharedCache engine;
    private Cache<String, Object> raw;
    private Cache<String, Object> rawExpiring;
    private CaffeineCachePort port;
    private CacheKey[] keys;
    private final LongAdder hits = new LongAdder();

    @Setup(Level.Trial)
    public void setUp() {
        fixture = new HitFixture();
        port = CaffeineCachePort.builder().maximumSize(HitFixture.KEYS * 4L).build();
        engine = SharedCache.builder(port).build();
        fixture.warm(engine);
        keys = new CacheKey[HitFixture.KEYS];
        for (int i = 0; i < HitFixture.KEYS; i++) {
            keys[i] = new CacheKey(HitFixture.KIND, fixture.ids[i]);
        }
        raw = Caffeine.newBuilder().maximumSize(HitFixture.KEYS * 4L).build();
        rawExpiring = Caffeine.newBuilder()
                .maximumSize(HitFixture.KEYS * 4L)
                .expireAfter(Expiry.<String, Object>creating((id, value) -> Duration.ofHours(1)))
                .recordStats()
                .build();
        for (int i = 0; i < HitFixture.KEYS; i++) {
            raw.put(fixture.ids[i], fixture.values[i]);
            rawExpiring.put(fixture.ids[i], fixture.values[i]);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        try {
            fixture.checkOnlyWarmingLoaded(engine);
        } finally {
            engine.close();
        }
    }

    @Benchmark
    public void engineHit(KeyCursor cursor, Blackhole blackhole) {
        blackhole.consume(engine.get(HitFixture.KIND, fixture.ids[cursor.nextIndex()], fixture.loader));
    }

    /**
     * Not a target, a diagnostic: the port's own read with a ready-made key, without the engine:
     * {@code getOrNull(CacheKey)}, the lookup under {@link #idPortHit} without its lookup key.
     */
    @Benchmark
    public void portHit(KeyCursor cursor, Blackhole blackhole) {
        blackhole.consume(port.getOrNull(keys[cursor.nextIndex()]));
    }

    /**
     * Not a target, a diagnostic: the port's read by kind and id, {@code getOrNull(kind, id)}, the
     * read the engine makes on its hit path: no key built, no id checked.
     */
    @Benchmark
    public void idPortHit(KeyCursor cursor, Blackhole blackhole) {
        blackhole.consume(port.getOrNull(HitFixture.KIND, fixture.ids[cursor.nextIndex()]));
    }

    /**
     * Not a target, a diagnostic: the port's read with the key built per call (the id checked), as
     * the engine's hit path no longer does, to tell what building a key costs.
     */
    @Benchmark
    public void keyedPortHit(KeyCursor cursor, Blackhole blackhole) {
        blackhole.consume(port.getOrNull(new CacheKey(HitFixture.KIND, fixture.ids[cursor.nextIndex()])));
    }

    /**
     * Not a target, a diagnostic: one reading of the system clock in milliseconds, what a hit would
     * pay to decide freshness if it read the clock (as it does on an injected clock, and within a
     * second of an entry's fresh-until); the engine on the system clock reads a published time.
     */
    @Benchmark
    public long clockReading() {
        return CLOCK.millis();
    }

    /**
     * Not a target, a diagnostic: one increment of a {@link LongAdder}, the exact, thread-safe
     * counter the engine's statistics increment once per hit (an atomic update of its base when
     * uncontended); a floor under {@link #engineHit} that a raw lookup without statistics does not
     * pay.
     */
    @Benchmark
    public void hitCounting() {
        hits.increment();
    }

    @Benchmark
    public void rawCaffeineHit(KeyCursor cursor, Blackhole blackhole) {
        blackhole.consume(raw.getIfPresent(fixture.ids[cursor.nextIndex()]));
    }

    @Benchmark
    public void rawExpiringCaffeineHit(KeyCursor cursor, Blackhole blackhole) {
        blackhole.consume(rawExpiring.getIfPresent(fixture.ids[cursor.nextIndex()]));
    }
}
