package io.huddle.sim;

/** Derives independent, reproducible random seeds from the simulator's seed and a few numbers. */
final class Seeds {
    private Seeds() {}

    /** A well-mixed seed for {@code seed} and {@code parts} (SplitMix64 finaliser after each part). */
    static long mix(long seed, long... parts) {
        long h = seed;
        for (long part : parts) {
            h = finalise(h + 0x9E3779B97F4A7C15L * (part + 1));
        }
        return finalise(h);
    }

    private static long finalise(long value) {
        long z = value;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
