package io.huddle.core;

import io.huddle.core.api.CachePolicy;
import io.huddle.core.api.DataKind;
import io.huddle.core.api.StatsCounter;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

/** The kinds asked for so far, each with its state; the policy in force for each. Thread-safe. */
final class Kinds {
    private final ConcurrentMap<String, KindState> byName = new ConcurrentHashMap<>();
    private final Map<String, CachePolicy> policyOverrides;
    private final Function<? super DataKind<?>, ? extends StatsCounter> statsCounters;

    Kinds(
            Map<String, CachePolicy> policyOverrides,
            Function<? super DataKind<?>, ? extends StatsCounter> statsCounters) {
        this.policyOverrides = Map.copyOf(policyOverrides);
        this.statsCounters = statsCounters;
    }

    /** The kind's state, made on first use; a kind name used with another value type is refused. */
    KindState state(DataKind<?> kind) {
        KindState state = byName.get(kind.name());
        if (state == null) {
            state = byName.computeIfAbsent(kind.name(), name -> newState(kind));
        }
        if (state.kind.valueType() != kind.valueType()) {
            throw new IllegalArgumentException("kind '" + kind + "' is already in use with values of "
                    + state.kind.valueType().getName() + ", not "
                    + kind.valueType().getName());
        }
        return state;
    }

    private KindState newState(DataKind<?> kind) {
        StatsCounter stats = statsCounters.apply(kind);
        if (stats == null) {
            throw new IllegalStateException("the statsCounter factory returned null for kind '" + kind + "'");
        }
        return new KindState(kind, policy(kind), stats);
    }

    /** The state of the kind of that name if it was asked for, else null. */
    KindState find(String name) {
        return byName.get(name);
    }

    /** Every kind's state so far. */
    Collection<KindState> all() {
        return byName.values();
    }

    /** Every kind asked for so far. */
    List<DataKind<?>> known() {
        return byName.values().stream().<DataKind<?>>map(state -> state.kind).toList();
    }

    /** The policy in force for the kind: the application's override, else the kind's default. */
    CachePolicy policy(DataKind<?> kind) {
        return policyOverrides.getOrDefault(kind.name(), kind.defaultPolicy());
    }
}
