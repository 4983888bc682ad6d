package io.huddle.core.api;

import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link Loader} found upstream: a value or "not found", how many upstream calls the loader
 * made itself ({@link #calls()}, counted in {@link CacheStatistics#upstreamCalls()}), and what the
 * entry cost to build ({@link #cost()}, counted in {@link CacheStatistics#upstreamCallsSaved()} by
 * every request it answers). The two differ only for a {@link #derived} value. Immutable.
 *
 * @param <V> the value type
 */
public final class Loaded<V> {
    private final V value;
    private final int cost;
    private final int calls;

    private Loaded(V value, int cost, int calls) {
        if (cost < 0) {
            throw new IllegalArgumentException("cost must not be negative, was " + cost);
        }
        this.value = value;
        this.cost = cost;
        this.calls = calls;
    }

    /** A value that took one upstream call. */
    public static <V> Loaded<V> of(V value) {
        return of(value, 1);
    }

    /** A value that took {@code cost} upstream calls. */
    public static <V> Loaded<V> of(V value, int cost) {
        return new Loaded<>(
                Objects.requireNonNull(value, "value (use Loaded.notFound() for absent items)"), cost, cost);
    }

    /**
     * A value built from data that other loads fetched through the same cache (a name index built
     * from cached rosters, say): the loader made no upstream call of its own, since those loads
     * counted theirs, but a request this entry answers saves the {@code cost} calls it took to build.
     */
    public static <V> Loaded<V> derived(V value, int cost) {
        return new Loaded<>(
                Objects.requireNonNull(value, "value (use Loaded.derivedNotFound() for absent items)"), cost, 0);
    }

    /** "Not found", learnt from data that other loads fetched; see {@link #derived}. */
    public static <V> Loaded<V> derivedNotFound(int cost) {
        return new Loaded<>(null, cost, 0);
    }

    /** The upstream has no such item; finding out took one call. */
    public static <V> Loaded<V> notFound() {
        return notFound(1);
    }

    /** The upstream has no such item; finding out took {@code cost} calls. */
    public static <V> Loaded<V> notFound(int cost) {
        return new Loaded<>(null, cost, cost);
    }

    /** The value, or empty if not found. */
    public Optional<V> value() {
        return Optional.ofNullable(value);
    }

    /** The upstream calls the entry took to build, its own and those of the loads it was built from. */
    public int cost() {
        return cost;
    }

    /** The upstream calls the loader made itself. */
    public int calls() {
        return calls;
    }

    /** The value, or null for not found. */
    public V rawValue() {
        return value;
    }

    @Override
    public String toString() {
        return "Loaded{" + (value == null ? "not found" : value) + ", cost=" + cost + ", calls=" + calls + '}';
    }
}
