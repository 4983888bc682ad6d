package io.huddle.core.ahead;

import io.huddle.core.internal.Arguments;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which keys users ask for after, or together with, a key: learnt from the request stream (the next
 * key asked in the same session, the two keys of a pair asked together) on top of a fixed seed
 * relation, bounded in memory and forgetting old evidence.
 *
 * <p>Each piece of evidence weighs 1 and halves every {@code halfLife} on the injected clock; a
 * neighbour whose weight fell below {@value #FORGOTTEN} is dropped. At most {@code maxKeys} keys are
 * kept (the least recently touched go first), each with at most {@code maxNeighbours} neighbours
 * (the lightest go first), and at most {@code maxSessions} sessions, each remembered for {@code
 * sessionGap} after its last request. The seed's neighbours weigh {@code seedWeight} each and never
 * fade. Thread-safe (one lock).
 */
public final class RelatedKeys<K> {
    /** The weight below which learnt evidence is forgotten. */
    public static final double FORGOTTEN = 0.05;

    private final InstantSource clock;
    private final Map<K, List<K>> seed;
    private final double seedWeight;
    private final int maxNeighbours;
    private final double halfLifeMillis;
    private final long sessionGapMillis;
    private final LinkedHashMap<K, Map<K, Evidence>> learnt;
    private final LinkedHashMap<String, Step<K>> sessions;

    private RelatedKeys(Builder<K> builder) {
        this.clock = builder.clock;
        this.seed = Map.copyOf(builder.seed);
        this.seedWeight = builder.seedWeight;
        this.maxNeighbours = builder.maxNeighbours;
        this.halfLifeMillis = builder.halfLife.toMillis();
        this.sessionGapMillis = builder.sessionGap.toMillis();
        int maxKeys = builder.maxKeys;
        int maxSessions = builder.maxSessions;
        this.learnt = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, Map<K, Evidence>> eldest) {
                return size() > maxKeys;
            }
        };
        this.sessions = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Step<K>> eldest) {
                return size() > maxSessions;
            }
        };
    }

    /**
     * A builder on the clock. Defaults: no seed, seed weight 1, 10,000 keys of 8 neighbours each, a
     * half-life of 1 hour, 10,000 sessions, a session gap of 30 minutes.
     */
    public static <K> Builder<K> builder(InstantSource clock) {
        return new Builder<>(clock);
    }

    /**
     * A user of {@code session} asked for {@code key}: if the same session asked for another key
     * within the session gap, {@code key} is evidence of following it.
     */
    public synchronized void asked(String session, K key) {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(key, "key");
        long now = clock.millis();
        Step<K> last = sessions.put(session, new Step<>(key, now));
        if (last != null && !last.key.equals(key) && now - last.atMillis <= sessionGapMillis) {
            learn(last.key, key, now);
        }
    }

    /** A user asked for the two keys together (a comparison): evidence of each for the other. */
    public synchronized void together(K first, K second) {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(second, "second");
        if (first.equals(second)) {
            return;
        }
        long now = clock.millis();
        learn(first, second, now);
        learn(second, first, now);
    }

    /** The at most {@code n} keys most related to {@code key}, heaviest first; never the key itself. */
    public synchronized List<K> related(K key, int n) {
        Arguments.positive("n", n);
        long now = clock.millis();
        Map<K, Double> weights = new LinkedHashMap<>();
        for (K neighbour : seed.getOrDefault(key, List.of())) {
            weights.merge(neighbour, seedWeight, Double::sum);
        }
        Map<K, Evidence> neighbours = learnt.get(key);
        if (neighbours != null) {
            neighbours.values().removeIf(evidence -> evidence.weightAt(now, halfLifeMillis) < FORGOTTEN);
            neighbours.forEach((neighbour, evidence) ->
                    weights.merge(neighbour, evidence.weightAt(now, halfLifeMillis), Double::sum));
            if (neighbours.isEmpty()) {
                learnt.remove(key);
            }
        }
        weights.remove(key);
        List<Map.Entry<K, Double>> ranked = new ArrayList<>(weights.entrySet());
        // stable: among equal weights the seed's order stands
        ranked.sort(Map.Entry.<K, Double>comparingByValue().reversed());
        return ranked.stream().limit(n).map(Map.Entry::getKey).toList();
    }

    /** Keys with learnt neighbours now: never more than {@code maxKeys}. */
    public synchronized int size() {
        return learnt.size();
    }

    /** Sessions remembered now: never more than {@code maxSessions}. */
    public synchronized int sessions() {
        return sessions.size();
    }

    private void learn(K from, K to, long now) {
        Map<K, Evidence> neighbours = learnt.computeIfAbsent(from, k -> new HashMap<>());
        Evidence evidence = neighbours.get(to);
        if (evidence != null) {
            evidence.add(now, halfLifeMillis);
            return;
        }
        if (neighbours.size() >= maxNeighbours) {
            K lightest = null;
            double least = Double.MAX_VALUE;
            for (Map.Entry<K, Evidence> each : neighbours.entrySet()) {
                double weight = each.getValue().weightAt(now, halfLifeMillis);
                if (weight < least) {
                    least = weight;
                    lightest = each.getKey();
                }
            }
            neighbours.remove(lightest);
        }
        neighbours.put(to, new Evidence(now));
    }

    private record Step<K>(K key, long atMillis) {}

    /** A weight that halves every half-life, read and added to lazily. */
    private static final class Evidence {
        private double weight = 1;
        private long atMillis;

        Evidence(long atMillis) {
            this.atMillis = atMillis;
        }

        double weightAt(long now, double halfLifeMillis) {
            return weight * Math.pow(0.5, Math.max(0, now - atMillis) / halfLifeMillis);
        }

        void add(long now, double halfLifeMillis) {
            weight = weightAt(now, halfLifeMillis) + 1;
            atMillis = now;
        }
    }

    /** Builds a {@link RelatedKeys}; every setter checks its value at once. Not thread-safe. */
    public static final class Builder<K> {
        private final InstantSource clock;
        private Map<K, List<K>> seed = Map.of();
        private double seedWeight = 1;
        private int maxKeys = 10_000;
        private int maxNeighbours = 8;
        private Duration halfLife = Duration.ofHours(1);
        private int maxSessions = 10_000;
        private Duration sessionGap = Duration.ofMinutes(30);

        private Builder(InstantSource clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
        }

        /** The fixed relation, by key, its neighbours in order, which learnt evidence adds to. */
        public Builder<K> seed(Map<K, List<K>> seed) {
            Map<K, List<K>> copy = new HashMap<>();
            Objects.requireNonNull(seed, "seed").forEach((key, neighbours) -> copy.put(key, List.copyOf(neighbours)));
            this.seed = copy;
            return this;
        }

        /** What each seed neighbour weighs against learnt evidence (which weighs 1 when new). */
        public Builder<K> seedWeight(double weight) {
            if (!(weight >= 0 && weight < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException("seedWeight must be zero or more and finite, was " + weight);
            }
            this.seedWeight = weight;
            return this;
        }

        /** The most keys with learnt neighbours. */
        public Builder<K> maxKeys(int keys) {
            this.maxKeys = Arguments.positive("maxKeys", keys);
            return this;
        }

        /** The most learnt neighbours per key. */
        public Builder<K> maxNeighbours(int neighbours) {
            this.maxNeighbours = Arguments.positive("maxNeighbours", neighbours);
            return this;
        }

        /** How long evidence takes to lose half its weight. */
        public Builder<K> halfLife(Duration halfLife) {
            Arguments.positive("halfLife", halfLife);
            if (halfLife.toMillis() == 0) {
                throw new IllegalArgumentException("halfLife must be at least a millisecond, was " + halfLife);
            }
            this.halfLife = halfLife;
            return this;
        }

        /** The most sessions remembered. */
        public Builder<K> maxSessions(int sessions) {
            this.maxSessions = Arguments.positive("maxSessions", sessions);
            return this;
        }

        /** How long after its last request a session's next one still follows it. */
        public Builder<K> sessionGap(Duration gap) {
            this.sessionGap = Arguments.positive("sessionGap", gap);
            return this;
        }

        /** The relation. */
        public RelatedKeys<K> build() {
            return new RelatedKeys<>(this);
        }
    }
}
