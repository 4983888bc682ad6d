package io.huddle.benchmarks;

import io.huddle.core.SharedCache;
import io.huddle.core.api.CachePolicy;
import io.huddle.core.api.CacheStatistics;
import io.huddle.core.api.DataKind;
import io.huddle.core.api.Loaded;
import io.huddle.core.api.Loader;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the hit benchmarks share: {@value #KEYS} ids with their values, a kind fresh for an hour, a
 * loader that counts its calls, and the check that it ran only while warming.
 */
final class HitFixture {
    /** Keys warmed and cycled through; a power of two, so the cursor wraps with a mask. */
    static final int KEYS = 1024;

    /** Fresh for an hour: every read of a trial is a fresh hit. */
    static final DataKind<String> KIND = DataKind.of("bench", String.class, CachePolicy.ofTtl(Duration.ofHours(1)));

    final String[] ids = new String[KEYS];
    final String[] values = new String[KEYS];
    final AtomicLong loaderCalls = new AtomicLong();

    /** Returns the warmed value; during measurement it must never run. */
    final Loader<String> loader = id -> {
        loaderCalls.incrementAndGet();
        return Loaded.of(valueOf(id));
    };

    HitFixture() {
        for (int i = 0; i < KEYS; i++) {
            ids[i] = "player-" + i + ":2024";
            // about 60 bytes, so a Redis envelope is a few hundred bytes
            values[i] = "season stats of player " + i + ": 1820 minutes, 14 goals, 9 assists";
        }
    }

    private String valueOf(String id) {
        int dash = id.indexOf('-');
        return values[Integer.parseInt(id.substring(dash + 1, id.indexOf(':')))];
    }

    /** Loads every key once through the engine, and checks that each load ran. */
    void warm(SharedCache cache) {
        for (int i = 0; i < KEYS; i++) {
            String value = cache.get(KIND, ids[i], loader).orElseThrow();
            if (!value.equals(values[i])) {
                throw new IllegalStateException("warming " + ids[i] + " gave '" + value + "'");
            }
        }
        checkOnlyWarmingLoaded(cache);
    }

    /**
     * Throws unless the loader ran exactly once per key, that is only while warming: a load during
     * measurement would make the engine's score a miss's, not a hit's.
     */
    void checkOnlyWarmingLoaded(SharedCache cache) {
        CacheStatistics stats = cache.stats(KIND);
        if (stats.loads() != KEYS || loaderCalls.get() != KEYS || stats.backendErrors() != 0) {
            throw new IllegalStateException("expected " + KEYS + " loads, all while warming, and no backend error;"
                    + " found " + stats.loads() + " loads, " + loaderCalls.get() + " loader calls, "
                    + stats.backendErrors() + " backend errors (" + stats + ")");
        }
    }
}
