package io.huddle.core.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link CachePort} stores for a key: a value or a "not found" marker, when it was written,
 * until when it is fresh, until when it may still be served stale, its cost, and the schema version
 * of its encoding. Immutable and thread-safe.
 *
 * <p>The cost is the number of upstream calls it took to build the entry; a request served from the
 * entry without a load of its own saves that many calls.
 *
 * <p>A copy a port could not check against its shared store (a near cache's local copy after lost
 * messages, or while the shared tier is unreachable) is {@link #unverified()}: it is never fresh,
 * and the engine serves it only as the fallback of stale-if-error.
 *
 * @param <V> the value type
 */
public final class CacheEntry<V> {
    /** The schema version this build writes; an entry of another version is read as a miss. */
    public static final int SCHEMA_VERSION = 1;

    private final V value;
    private final Instant writtenAt;
    private final Instant freshUntil;
    private final Instant staleUntil;
    private final int cost;
    private final int schemaVersion;
    private final boolean verified;
    /** The value as {@link #value()} returns it, made once: a hit hands it out without allocating. */
    private final Optional<V> optionalValue;
    /** {@link #freshUntil} in whole epoch milliseconds, rounded down (saturated), for the hit path. */
    private final long freshUntilFloorMillis;

    private CacheEntry(
            V value, Instant writtenAt, Instant freshUntil, Instant staleUntil, int cost, int schemaVersion) {
        this(value, writtenAt, freshUntil, staleUntil, cost, schemaVersion, true);
    }

    private CacheEntry(
            V value,
            Instant writtenAt,
            Instant freshUntil,
            Instant staleUntil,
            int cost,
            int schemaVersion,
            boolean verified) {
        Objects.requireNonNull(writtenAt, "writtenAt");
        Objects.requireNonNull(freshUntil, "freshUntil");
        Objects.requireNonNull(staleUntil, "staleUntil");
        if (freshUntil.isBefore(writtenAt)) {
            throw new IllegalArgumentException(
                    "freshUntil " + freshUntil + " must not be before writtenAt " + writtenAt);
        }
        if (staleUntil.isBefore(freshUntil)) {
            throw new IllegalArgumentException(
                    "staleUntil " + staleUntil + " must not be before freshUntil " + freshUntil);
        }
        if (cost < 0) {
            throw new IllegalArgumentException("cost must not be negative, was " + cost);
        }
        this.value = value;
        this.writtenAt = writtenAt;
        this.freshUntil = freshUntil;
        this.staleUntil = staleUntil;
        this.cost = cost;
        this.schemaVersion = schemaVersion;
        this.verified = verified;
        this.freshUntilFloorMillis = floorMillis(freshUntil);
        this.optionalValue = Optional.ofNullable(value);
    }

    private static long floorMillis(Instant instant) {
        try {
            return instant.toEpochMilli();
        } catch (ArithmeticException outOfRange) {
            return instant.isBefore(Instant.EPOCH) ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    /** An entry holding a value, at the current schema version. */
    public static <V> CacheEntry<V> found(
            V value, Instant writtenAt, Instant freshUntil, Instant staleUntil, int cost) {
        return new CacheEntry<>(
                Objects.requireNonNull(value, "value"), writtenAt, freshUntil, staleUntil, cost, SCHEMA_VERSION);
    }

    /** An entry recording that the upstream has no such item, at the current schema version. */
    public static <V> CacheEntry<V> notFound(Instant writtenAt, Instant freshUntil, int cost) {
        return new CacheEntry<>(null, writtenAt, freshUntil, freshUntil, cost, SCHEMA_VERSION);
    }

    /**
     * An entry exactly as a backend decoded it, for codecs; {@code value} is null for "not found".
     */
    public static <V> CacheEntry<V> restore(
            V value, Instant writtenAt, Instant freshUntil, Instant staleUntil, int cost, int schemaVersion) {
        return new CacheEntry<>(value, writtenAt, freshUntil, staleUntil, cost, schemaVersion);
    }

    /** The value, or empty for a "not found" entry. */
    public Optional<V> value() {
        return optionalValue;
    }

    /** Whether this entry records that the upstream has no such item. */
    public boolean isNotFound() {
        return value == null;
    }

    /** When the entry was written. */
    public Instant writtenAt() {
        return writtenAt;
    }

    /** The first instant at which the entry is no longer fresh. */
    public Instant freshUntil() {
        return freshUntil;
    }

    /** The first instant at which the entry may no longer be served, even stale. */
    public Instant staleUntil() {
        return staleUntil;
    }

    /** How many upstream calls it took to build the entry. */
    public int cost() {
        return cost;
    }

    /** The schema version of the entry's encoding. */
    public int schemaVersion() {
        return schemaVersion;
    }

    /** Whether the entry is fresh at {@code now}: never, for an {@link #unverified()} copy. */
    public boolean isFreshAt(Instant now) {
        return verified && now.isBefore(freshUntil);
    }

    /**
     * Whether the entry is fresh at every instant of the millisecond that begins at {@code
     * epochMilli} (a reading of {@link java.time.InstantSource#millis()}), which one cheap clock
     * reading can tell. False does not mean stale: within the millisecond the entry's freshness ends,
     * or for an {@link #unverified()} copy; ask {@link #isFreshAt} with an exact instant then.
     */
    public boolean isFreshThroughout(long epochMilli) {
        return verified && epochMilli < freshUntilFloorMillis;
    }

    /**
     * Whether the port vouches for this copy. False for a copy it could not check against its shared
     * store: the engine never serves it as fresh, nor under stale-while-revalidate, only under
     * stale-if-error.
     */
    public boolean isVerified() {
        return verified;
    }

    /** This entry, marked as a copy its port could not check; see {@link #isVerified()}. */
    public CacheEntry<V> unverified() {
        return verified ? new CacheEntry<>(value, writtenAt, freshUntil, staleUntil, cost, schemaVersion, false) : this;
    }

    /** This entry as its port vouches for it again. */
    public CacheEntry<V> verifiedAgain() {
        return verified ? this : new CacheEntry<>(value, writtenAt, freshUntil, staleUntil, cost, schemaVersion, true);
    }

    /** How long from {@code now} a backend should keep the entry: until {@link #staleUntil()}. */
    public Duration keepFor(Instant now) {
        Duration left = Duration.between(now, staleUntil);
        return left.isNegative() ? Duration.ZERO : left;
    }

    /** The value, or null for a not-found marker. */
    public V rawValue() {
        return value;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CacheEntry<?> that
                && Objects.equals(value, that.value)
                && writtenAt.equals(that.writtenAt)
                && freshUntil.equals(that.freshUntil)
                && staleUntil.equals(that.staleUntil)
                && cost == that.cost
                && schemaVersion == that.schemaVersion
                && verified == that.verified;
    }

    @Override
    public int hashCode() {
        return Objects.hash(value, writtenAt, freshUntil, staleUntil, cost, schemaVersion, verified);
    }

    @Override
    public String toString() {
        return "CacheEntry{" + (value == null ? "not found" : "value=" + value) + ", writtenAt=" + writtenAt
                + ", freshUntil=" + freshUntil + ", staleUntil=" + staleUntil + ", cost=" + cost + ", schema="
                + schemaVersion + (verified ? "" : ", unverified") + '}';
    }
}
