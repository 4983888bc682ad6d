package io.huddle.core;

import io.huddle.core.api.AheadResult;
import io.huddle.core.api.CacheKey;
import io.huddle.core.api.DataKind;
import io.huddle.core.api.Loaded;
import io.huddle.core.api.Loader;
import io.huddle.core.spi.CacheEntry;
import java.time.Instant;
import java.time.InstantSource;

/**
 * Loads ahead of users: warming (refresh-ahead within a margin of the ttl) and prefetch, each a
 * background load through the {@link Refresher}, so through single flight and the lease
 * coordinator, at background priority, never waited on. Thread-safe.
 */
final class Ahead {
    private final Backend backend;
    private final Refresher refresher;
    private final FailSafeThrottle throttle;
    private final InstantSource clock;

    Ahead(Backend backend, Refresher refresher, FailSafeThrottle throttle, InstantSource clock) {
        this.backend = backend;
        this.refresher = refresher;
        this.throttle = throttle;
        this.clock = clock;
    }

    /** Loads the key unless it stays fresh for more than {@code refreshAhead} of the ttl from now. */
    <V> AheadResult warm(DataKind<V> kind, KindState state, CacheKey key, double refreshAhead, Loader<V> loader) {
        if (!state.policy.warming()) {
            state.stats.recordAheadSwitchedOff();
            return AheadResult.SWITCHED_OFF;
        }
        long marginMillis = (long) (state.policy.ttl().toMillis() * refreshAhead);
        Loader<V> counted = id -> {
            // counted once the loader returned: not for a load the budget refused, nor one a lease
            // elsewhere or a fresh recheck made needless
            Loaded<V> loaded = loader.load(id);
            state.stats.recordWarmLoad();
            return loaded;
        };
        return load(kind, state, key, marginMillis, counted);
    }

    /** Loads the key unless it is fresh, and tracks whether a request then uses it. */
    <V> AheadResult prefetch(DataKind<V> kind, KindState state, CacheKey key, Loader<V> loader) {
        if (!state.policy.prefetching()) {
            state.stats.recordAheadSwitchedOff();
            return AheadResult.SWITCHED_OFF;
        }
        AheadResult needless = needless(kind, state, key, 0);
        if (needless != null) {
            return needless;
        }
        long now = clock.millis();
        // tracked before the load starts, so that a hit right after it ends is seen
        state.prefetched.track(key.id(), now, now + state.policy.ttl().toMillis());
        AheadResult result = submit(kind, state, key, 0, loader);
        if (result == AheadResult.STARTED) {
            state.stats.recordPrefetchStarted();
        } else {
            state.prefetched.forget(key.id());
        }
        return result;
    }

    private <V> AheadResult load(DataKind<V> kind, KindState state, CacheKey key, long marginMillis, Loader<V> loader) {
        AheadResult needless = needless(kind, state, key, marginMillis);
        return needless != null ? needless : submit(kind, state, key, marginMillis, loader);
    }

    /** FRESH or THROTTLED when no load is needed, else null. */
    private AheadResult needless(DataKind<?> kind, KindState state, CacheKey key, long marginMillis) {
        Instant now = clock.instant();
        CacheEntry<?> entry = backend.read(kind, key.id(), state.stats);
        if (entry != null && entry != Backend.UNREACHABLE && entry.isFreshAt(now.plusMillis(marginMillis))) {
            return AheadResult.FRESH;
        }
        return throttle.isThrottled(key, now) ? AheadResult.THROTTLED : null;
    }

    private <V> AheadResult submit(
            DataKind<V> kind, KindState state, CacheKey key, long marginMillis, Loader<V> loader) {
        AheadResult result = refresher.ahead(kind, state, key, marginMillis, LoadCall.single(loader));
        if (result == AheadResult.SKIPPED_FULL) {
            state.stats.recordAheadSkippedFull();
        }
        return result;
    }
}
