package io.huddle.core.ahead;

import io.huddle.core.internal.Arguments;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The most requested keys of a recent window, in bounded memory whatever the number of distinct
 * keys: a Space-Saving summary (Metwally, Agrawal and El Abbadi) of at most {@code capacity} counters
 * per window, over the current window and the one before it, on an injected clock. A key asked for
 * more than {@code 1/capacity} of a window's requests is always among the counters; a key's count
 * may be overestimated by at most the smallest count when it came in. A window older than the one
 * before the current is forgotten whole.
 *
 * <p>Thread-safe (one lock; each call is a few map operations, logarithmic in the capacity).
 */
public final class TopKeys<K> {
    private final int capacity;
    private final long windowMillis;
    private final InstantSource clock;
    private long currentWindow = Long.MIN_VALUE;
    private Summary<K> current = new Summary<>();
    private Summary<K> previous = new Summary<>();

    /**
     * @param capacity the counters kept per window, at least 1: the most keys reported
     * @param window how long one window lasts; a key asked for only longer ago than two windows is
     *     forgotten
     * @param clock the time windows are measured by
     */
    public TopKeys(int capacity, Duration window, InstantSource clock) {
        this.capacity = Arguments.positive("capacity", capacity);
        this.windowMillis = Arguments.positive("window", window).toMillis();
        if (windowMillis == 0) {
            throw new IllegalArgumentException("window must be at least a millisecond, was " + window);
        }
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Counts one request of the key. */
    public synchronized void add(K key) {
        Objects.requireNonNull(key, "key");
        rotate();
        current.add(key, capacity);
    }

    /**
     * The at most {@code n} keys asked for most in the current and the previous window together,
     * most first, ranked by the requests each is sure to have had (its count less the overestimate it
     * came in with): a key that only took the place of another, asked for once, ranks by that once.
     */
    public synchronized List<K> top(int n) {
        Arguments.positive("n", n);
        rotate();
        Map<K, Long> counts = new HashMap<>();
        previous.addGuaranteed(counts);
        current.addGuaranteed(counts);
        counts.values().removeIf(count -> count <= 0);
        return counts.entrySet().stream()
                .sorted(Map.Entry.<K, Long>comparingByValue().reversed())
                .limit(n)
                .map(Map.Entry::getKey)
                .toList();
    }

    /**
     * The requests each of the keys is sure to have had in the current and the previous window
     * together, as {@link #top} ranks them; a key not among the counters is left out.
     */
    public synchronized Map<K, Long> counts(Collection<K> keys) {
        rotate();
        Map<K, Long> asked = new HashMap<>();
        for (K key : keys) {
            long count = previous.guaranteed(key) + current.guaranteed(key);
            if (count > 0) {
                asked.put(key, count);
            }
        }
        return asked;
    }

    /** The counters held now, over both windows: never more than twice the capacity. */
    public synchronized int size() {
        rotate();
        return current.counts.size() + previous.counts.size();
    }

    private void rotate() {
        long window = Math.floorDiv(clock.millis(), windowMillis);
        if (window == currentWindow) {
            return;
        }
        previous = window == currentWindow + 1 ? current : new Summary<>();
        current = new Summary<>();
        currentWindow = window;
    }

    /**
     * One window's counters: by key, and keys by count, to find the smallest at once; with each key's
     * overestimate, the count of the key whose place it took.
     */
    private static final class Summary<K> {
        final Map<K, Long> counts = new HashMap<>();
        final Map<K, Long> errors = new HashMap<>();
        final TreeMap<Long, LinkedHashSet<K>> byCount = new TreeMap<>();

        void add(K key, int capacity) {
            Long count = counts.get(key);
            long next;
            if (count != null) {
                unlink(key, count);
                next = count + 1;
            } else if (counts.size() < capacity) {
                next = 1;
            } else {
                // Space-Saving: the new key takes the place of one with the smallest count, and its count
                Map.Entry<Long, LinkedHashSet<K>> smallest = byCount.firstEntry();
                Iterator<K> victims = smallest.getValue().iterator();
                K victim = victims.next();
                victims.remove();
                if (smallest.getValue().isEmpty()) {
                    byCount.remove(smallest.getKey());
                }
                counts.remove(victim);
                errors.remove(victim);
                errors.put(key, smallest.getKey());
                next = smallest.getKey() + 1;
            }
            counts.put(key, next);
            byCount.computeIfAbsent(next, c -> new LinkedHashSet<>()).add(key);
        }

        long guaranteed(K key) {
            Long count = counts.get(key);
            return count == null ? 0 : count - errors.getOrDefault(key, 0L);
        }

        void addGuaranteed(Map<K, Long> into) {
            counts.forEach((key, count) -> into.merge(key, count - errors.getOrDefault(key, 0L), Long::sum));
        }

        private void unlink(K key, long count) {
            LinkedHashSet<K> keys = byCount.get(count);
            keys.remove(key);
            if (keys.isEmpty()) {
                byCount.remove(count);
            }
        }
    }
}
