package io.huddle.core.cache;

import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link Loader} found upstream: a value or "not found", and how many upstream calls it
 * took (its cost). Immutable.
 *
 * @param <V> the value type
 */
public final class Loaded<V> {
    private final V value;
    private final int cost;

    private Loaded(V value, int cost) {
        if (cost < 0) {
            throw new IllegalArgumentException("cost must not be negative, was " + cost);
        }
        this.value = value;
        this.cost = cost;
    }

    /** A value that took one upstream call. */
    public static <V> Loaded<V> of(V value) {
        return of(value, 1);
    }

    /** A value that took {@code cost} upstream calls. */
    public static <V> Loaded<V> of(V value, int cost) {
        return new Loaded<>(Objects.requireNonNull(value, "value (use Loaded.notFound() for absent items)"), cost);
    }

    /** The upstream has no such item; finding out took one call. */
    public static <V> Loaded<V> notFound() {
        return notFound(1);
    }

    /** The upstream has no such item; finding out took {@code cost} calls. */
    public static <V> Loaded<V> notFound(int cost) {
        return new Loaded<>(null, cost);
    }

    /** The value, or empty if not found. */
    public Optional<V> value() {
        return Optional.ofNullable(value);
    }

    /** The number of upstream calls the load took. */
    public int cost() {
        return cost;
    }

    V rawValue() {
        return value;
    }

    @Override
    public String toString() {
        return "Loaded{" + (value == null ? "not found" : value) + ", cost=" + cost + '}';
    }
}
