package io.huddle.core.api;

/**
 * What a request to load a key ahead of users ({@code SharedCache.warm}, {@code SharedCache.prefetch})
 * did, at once; what its background load then does is counted in the kind's {@link CacheStatistics}.
 */
public enum AheadResult {
    /** The entry is fresh (beyond the refresh-ahead margin, for warming): nothing to do. */
    FRESH,
    /** A background load was handed to the background executor (counted as a warm load or prefetch). */
    STARTED,
    /** A background load of the key is already scheduled or running in this process. */
    ALREADY_LOADING,
    /** The key's last load failed within the fail-safe throttle: not tried again yet. */
    THROTTLED,
    /** The background executor was full ({@link CacheStatistics#aheadSkippedFull()}). */
    SKIPPED_FULL,
    /** The kind's policy switches this off ({@link CacheStatistics#aheadSwitchedOff()}). */
    SWITCHED_OFF,
    /**
     * The application found nothing to load under its key (a name that no single player has, say):
     * no load, no failure.
     */
    NOTHING_TO_LOAD
}
