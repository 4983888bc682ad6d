package io.huddle.core.api;

import io.huddle.core.internal.Arguments;
import java.time.Duration;
import java.util.Objects;

/**
 * Every freshness and loading knob for one {@link DataKind}. Immutable and thread-safe; built by
 * {@link #builder(Duration)}, which rejects a bad value at once with a message naming the field.
 *
 * <p>The life of an entry written at time {@code w}, with {@code t = ttl} shortened by jitter:
 *
 * <ul>
 *   <li>{@code [w, w + t)}: fresh, served as is.
 *   <li>{@code [w + t, w + t + staleWhileRevalidate)}: served at once while one background refresh
 *       runs.
 *   <li>{@code [w + t, w + t + staleIfError)}: callers wait for a load; if it fails, times out or is
 *       throttled, the old value is served instead of an error.
 *   <li>afterwards: gone; the next request loads.
 * </ul>
 *
 * <p>A "not found" answer is remembered for {@link #negativeTtl()} and is never served stale.
 *
 * <p>Loads are bounded twice: a caller waits at most {@link #loadTimeout()} for one, and a load that
 * runs past {@link #maxLoadTime()} is abandoned, so that a hung upstream cannot hold its key. After a
 * load of a key fails while a stale value may be served, that value is served without a new attempt
 * for {@link #failSafeThrottle()}.
 */
public final class CachePolicy {
    /** The load timeout used when none is set: 10 seconds. */
    public static final Duration DEFAULT_LOAD_TIMEOUT = Duration.ofSeconds(10);

    /** The longest "not found" is remembered when no negative ttl is set: 5 minutes, or the ttl. */
    public static final Duration DEFAULT_NEGATIVE_TTL = Duration.ofMinutes(5);

    /** How long a failed key is served stale without a new attempt when none is set: 30 seconds. */
    public static final Duration DEFAULT_FAIL_SAFE_THROTTLE = Duration.ofSeconds(30);

    private final Duration ttl;
    private final Duration staleWhileRevalidate;
    private final Duration staleIfError;
    private final Duration negativeTtl;
    private final double jitter;
    private final Duration loadTimeout;
    /** As set, or null: then the load timeout. */
    private final Duration explicitMaxLoadTime;

    private final Duration maxLoadTime;
    private final Duration failSafeThrottle;
    private final Duration softTimeout;
    private final boolean warming;
    private final boolean prefetching;

    private CachePolicy(Builder builder) {
        this.ttl = builder.ttl;
        this.staleWhileRevalidate = builder.staleWhileRevalidate;
        this.staleIfError = builder.staleIfError;
        this.negativeTtl = builder.negativeTtl != null ? builder.negativeTtl : min(DEFAULT_NEGATIVE_TTL, ttl);
        this.jitter = builder.jitter;
        this.loadTimeout = builder.loadTimeout;
        this.explicitMaxLoadTime = builder.maxLoadTime;
        this.maxLoadTime = builder.maxLoadTime != null ? builder.maxLoadTime : builder.loadTimeout;
        if (maxLoadTime.compareTo(loadTimeout) < 0) {
            throw new IllegalArgumentException(
                    "maxLoadTime must not be shorter than loadTimeout " + loadTimeout + ", was " + maxLoadTime);
        }
        this.failSafeThrottle = builder.failSafeThrottle;
        this.softTimeout = builder.softTimeout;
        this.warming = builder.warming;
        this.prefetching = builder.prefetching;
    }

    /** A policy with the given ttl and every other knob at its default. */
    public static CachePolicy ofTtl(Duration ttl) {
        return builder(ttl).build();
    }

    /**
     * A builder with the given ttl. Defaults: no stale-while-revalidate, no stale-if-error, negative
     * ttl the shorter of 5 minutes and the ttl, no jitter, load timeout 10 seconds, maximum load
     * time the load timeout, fail-safe throttle 30 seconds, no soft timeout, warming and prefetch on
     * (they take only background permits, and do nothing until an application asks for them).
     */
    public static Builder builder(Duration ttl) {
        return new Builder().ttl(ttl);
    }

    /** A builder holding this policy's values, to derive a changed copy. */
    public Builder toBuilder() {
        Builder builder = new Builder()
                .ttl(ttl)
                .staleWhileRevalidate(staleWhileRevalidate)
                .staleIfError(staleIfError)
                .negativeTtl(negativeTtl)
                .jitter(jitter)
                .loadTimeout(loadTimeout)
                .failSafeThrottle(failSafeThrottle)
                .softTimeout(softTimeout)
                .warming(warming)
                .prefetching(prefetching);
        // a maximum load time left to follow the load timeout keeps following it
        builder.maxLoadTime = explicitMaxLoadTime;
        return builder;
    }

    /** How long an entry is fresh after it is written (before jitter). Positive. */
    public Duration ttl() {
        return ttl;
    }

    /** After the ttl, how long the old value is served at once while one refresh runs. */
    public Duration staleWhileRevalidate() {
        return staleWhileRevalidate;
    }

    /** After the ttl, how long the old value is served when a load fails or is throttled. */
    public Duration staleIfError() {
        return staleIfError;
    }

    /** How long a "not found" answer is remembered; zero means it is not cached. */
    public Duration negativeTtl() {
        return negativeTtl;
    }

    /**
     * The fraction, in {@code [0, 1)}, by which each entry's ttl is shortened at random, so that
     * entries loaded together do not expire together. An entry is never fresh for longer than the
     * ttl.
     */
    public double jitter() {
        return jitter;
    }

    /** The longest a caller waits for a load, its own or another caller's. Positive. */
    public Duration loadTimeout() {
        return loadTimeout;
    }

    /**
     * The longest a load may run. Past it the engine abandons the load: its waiters get a {@link
     * CacheLoadTimeoutException} or a stale value, its claim (and lease) is released and the next
     * caller loads afresh; a result that comes later is still stored if nothing newer was meanwhile.
     * Not shorter than the load timeout, and the load timeout unless set.
     */
    public Duration maxLoadTime() {
        return maxLoadTime;
    }

    /**
     * After a load of a key fails (or times out, or is throttled) while a stale value of it may be
     * served, how long that value is served without a new attempt: the upstream is not asked again
     * for the key on every request while it is failing. Zero turns the throttle off.
     */
    public Duration failSafeThrottle() {
        return failSafeThrottle;
    }

    /**
     * How long a caller waits for a load when a stale value may stand in for it (within
     * stale-if-error): past it the caller gets the stale value at once and the load goes on, filling
     * the cache for the next caller. Zero (the default) waits up to the load timeout.
     */
    public Duration softTimeout() {
        return softTimeout;
    }

    /**
     * Whether keys of this kind may be loaded and refreshed ahead of users by warming ({@code
     * SharedCache.warm}); when off, each such request is counted ({@link
     * CacheStatistics#aheadSwitchedOff()}) and loads nothing. On by default.
     */
    public boolean warming() {
        return warming;
    }

    /**
     * Whether keys of this kind may be prefetched ({@code SharedCache.prefetch}); when off, each such
     * request is counted ({@link CacheStatistics#aheadSwitchedOff()}) and loads nothing. On by
     * default.
     */
    public boolean prefetching() {
        return prefetching;
    }

    /** How long past its ttl an entry is still useful: the longer of the two stale windows. */
    public Duration staleWindow() {
        return max(staleWhileRevalidate, staleIfError);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CachePolicy that
                && ttl.equals(that.ttl)
                && staleWhileRevalidate.equals(that.staleWhileRevalidate)
                && staleIfError.equals(that.staleIfError)
                && negativeTtl.equals(that.negativeTtl)
                && Double.compare(jitter, that.jitter) == 0
                && loadTimeout.equals(that.loadTimeout)
                && maxLoadTime.equals(that.maxLoadTime)
                && failSafeThrottle.equals(that.failSafeThrottle)
                && softTimeout.equals(that.softTimeout)
                && warming == that.warming
                && prefetching == that.prefetching;
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                ttl,
                staleWhileRevalidate,
                staleIfError,
                negativeTtl,
                jitter,
                loadTimeout,
                maxLoadTime,
                failSafeThrottle,
                softTimeout,
                warming,
                prefetching);
    }

    @Override
    public String toString() {
        return "CachePolicy{ttl=" + ttl + ", staleWhileRevalidate=" + staleWhileRevalidate + ", staleIfError="
                + staleIfError + ", negativeTtl=" + negativeTtl + ", jitter=" + jitter + ", loadTimeout="
                + loadTimeout + ", maxLoadTime=" + maxLoadTime + ", failSafeThrottle=" + failSafeThrottle
                + ", softTimeout=" + softTimeout + ", warming=" + warming + ", prefetching=" + prefetching + '}';
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** Builds a {@link CachePolicy}; every setter checks its value at once. Not thread-safe. */
    public static final class Builder {
        private Duration ttl;
        private Duration staleWhileRevalidate = Duration.ZERO;
        private Duration staleIfError = Duration.ZERO;
        private Duration negativeTtl;
        private double jitter;
        private Duration loadTimeout = DEFAULT_LOAD_TIMEOUT;
        private Duration maxLoadTime;
        private Duration failSafeThrottle = DEFAULT_FAIL_SAFE_THROTTLE;
        private Duration softTimeout = Duration.ZERO;
        private boolean warming = true;
        private boolean prefetching = true;

        private Builder() {}

        /** @see CachePolicy#ttl() */
        public Builder ttl(Duration ttl) {
            this.ttl = Arguments.positive("ttl", ttl);
            return this;
        }

        /** @see CachePolicy#staleWhileRevalidate() */
        public Builder staleWhileRevalidate(Duration window) {
            this.staleWhileRevalidate = Arguments.notNegative("staleWhileRevalidate", window);
            return this;
        }

        /** @see CachePolicy#staleIfError() */
        public Builder staleIfError(Duration window) {
            this.staleIfError = Arguments.notNegative("staleIfError", window);
            return this;
        }

        /** @see CachePolicy#negativeTtl() */
        public Builder negativeTtl(Duration negativeTtl) {
            this.negativeTtl = Arguments.notNegative("negativeTtl", negativeTtl);
            return this;
        }

        /** @see CachePolicy#jitter() */
        public Builder jitter(double jitter) {
            if (!(jitter >= 0.0 && jitter < 1.0)) {
                throw new IllegalArgumentException("jitter must be in [0, 1), was " + jitter);
            }
            this.jitter = jitter;
            return this;
        }

        /** @see CachePolicy#loadTimeout() */
        public Builder loadTimeout(Duration loadTimeout) {
            this.loadTimeout = Arguments.positive("loadTimeout", loadTimeout);
            return this;
        }

        /** @see CachePolicy#maxLoadTime() */
        public Builder maxLoadTime(Duration maxLoadTime) {
            this.maxLoadTime = Arguments.positive("maxLoadTime", maxLoadTime);
            return this;
        }

        /** @see CachePolicy#failSafeThrottle() */
        public Builder failSafeThrottle(Duration throttle) {
            this.failSafeThrottle = Arguments.notNegative("failSafeThrottle", throttle);
            return this;
        }

        /** @see CachePolicy#softTimeout() */
        public Builder softTimeout(Duration timeout) {
            this.softTimeout = Arguments.notNegative("softTimeout", timeout);
            return this;
        }

        /** @see CachePolicy#warming() */
        public Builder warming(boolean on) {
            this.warming = on;
            return this;
        }

        /** @see CachePolicy#prefetching() */
        public Builder prefetching(boolean on) {
            this.prefetching = on;
            return this;
        }

        /**
         * The policy.
         *
         * @throws IllegalArgumentException if the maximum load time is shorter than the load timeout
         */
        public CachePolicy build() {
            return new CachePolicy(this);
        }
    }
}
