package io.huddle.core.spi;

import io.huddle.core.api.DataKind;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A counter per kind name, for backends counting evictions or unreadable entries into their {@link
 * BackendStatistics}. Thread-safe; cheap to increment from many threads.
 */
public final class KindCounter {
    private final ConcurrentMap<String, LongAdder> counts = new ConcurrentHashMap<>();

    /** Adds one for the kind. */
    public void increment(DataKind<?> kind) {
        increment(kind.name());
    }

    /** Adds one for the kind name (for backends that only see names, such as eviction events). */
    public void increment(String kindName) {
        counts.computeIfAbsent(kindName, name -> new LongAdder()).increment();
    }

    /** The counts now, by kind name. */
    public Map<String, Long> snapshot() {
        Map<String, Long> now = new HashMap<>();
        counts.forEach((kind, count) -> now.put(kind, count.sum()));
        return now;
    }
}
