package io.huddle.benchmarks;

import java.util.Arrays;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * Answer times in buckets that grow by a quarter each (bucket {@code i} holds times up to {@code
 * 1.25^i} µs, the last one everything above two minutes), with the exact longest time: cheap to
 * record from many threads, small on the wire, and histograms of several processes add up. A
 * percentile is the upper bound of the bucket that holds it, so at most a quarter above the true
 * value. Thread-safe.
 */
final class LatencyHistogram {
    static final double GROWTH = 1.25;
    /** 1.25^84 µs is about 140 s. */
    static final int BUCKETS = 85;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private final LongAccumulator max = new LongAccumulator(Math::max, 0);

    /** Records one answer time, in microseconds. */
    void record(long micros) {
        counts.incrementAndGet(bucketOf(micros));
        max.accumulate(Math.max(0, micros));
    }

    static int bucketOf(long micros) {
        if (micros <= 1) {
            return 0;
        }
        int bucket = (int) Math.ceil(Math.log(micros) / Math.log(GROWTH) - 1e-9);
        return Math.min(bucket, BUCKETS - 1);
    }

    /** The largest time bucket {@code i} holds, in microseconds. */
    static long upperBound(int bucket) {
        return (long) Math.floor(Math.pow(GROWTH, bucket) + 1e-9);
    }

    /** A copy of the counts so far. */
    Snapshot snapshot() {
        long[] copy = new long[BUCKETS];
        for (int i = 0; i < BUCKETS; i++) {
            copy[i] = counts.get(i);
        }
        return new Snapshot(copy, max.get());
    }

    /**
     * Counts per bucket and the longest time recorded.
     *
     * @param counts answers per bucket, {@link #BUCKETS} of them
     * @param maxMicros the longest answer time, exact
     */
    record Snapshot(long[] counts, long maxMicros) {
        static final Snapshot EMPTY = new Snapshot(new long[BUCKETS], 0);

        Snapshot {
            if (counts.length != BUCKETS) {
                throw new IllegalArgumentException("a histogram has " + BUCKETS + " buckets, not " + counts.length);
            }
            counts = counts.clone();
        }

        long total() {
            return Arrays.stream(counts).sum();
        }

        /**
         * The upper bound of the bucket holding the answer at {@code percent} by nearest rank, never above
         * the longest answer; 0 without answers.
         */
        long percentile(double percent) {
            if (!(percent > 0 && percent <= 100)) {
                throw new IllegalArgumentException("percent must be in (0, 100], was " + percent);
            }
            long total = total();
            if (total == 0) {
                return 0;
            }
            long rank = Math.max(1, (long) Math.ceil(percent / 100.0 * total));
            long seen = 0;
            for (int i = 0; i < BUCKETS; i++) {
                seen += counts[i];
                if (seen >= rank) {
                    return Math.min(upperBound(i), maxMicros);
                }
            }
            return maxMicros;
        }

        Snapshot plus(Snapshot other) {
            long[] sum = counts.clone();
            for (int i = 0; i < BUCKETS; i++) {
                sum[i] += other.counts[i];
            }
            return new Snapshot(sum, Math.max(maxMicros, other.maxMicros));
        }

        /** {@code <max>/<bucket>:<count>,...} with the empty buckets left out; {@code 0/} when empty. */
        String format() {
            StringJoiner buckets = new StringJoiner(",");
            for (int i = 0; i < BUCKETS; i++) {
                if (counts[i] > 0) {
                    buckets.add(i + ":" + counts[i]);
                }
            }
            return maxMicros + "/" + buckets;
        }

        static Snapshot parse(String text) {
            int slash = text.indexOf('/');
            if (slash < 1) {
                throw new IllegalArgumentException("a histogram is <max>/<bucket>:<count>,..., not '" + text + "'");
            }
            long[] counts = new long[BUCKETS];
            String buckets = text.substring(slash + 1);
            if (!buckets.isEmpty()) {
                for (String each : buckets.split(",")) {
                    int colon = each.indexOf(':');
                    if (colon < 1) {
                        throw new IllegalArgumentException("'" + each + "' is not <bucket>:<count>");
                    }
                    int bucket = Integer.parseInt(each.substring(0, colon));
                    if (bucket < 0 || bucket >= BUCKETS) {
                        throw new IllegalArgumentException("no bucket " + bucket);
                    }
                    counts[bucket] += Long.parseLong(each.substring(colon + 1));
                }
            }
            return new Snapshot(counts, Long.parseLong(text.substring(0, slash)));
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Snapshot that && maxMicros == that.maxMicros && Arrays.equals(counts, that.counts);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(counts) + Long.hashCode(maxMicros);
        }

        @Override
        public String toString() {
            return "Snapshot[" + format() + "]";
        }
    }
}
