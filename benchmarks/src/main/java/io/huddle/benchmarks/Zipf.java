package io.huddle.benchmarks;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Ranks {@code 1..n} drawn by a Zipf law: rank {@code k} with probability proportional to {@code
 * 1 / k^exponent}. The draw is an inverse of the cumulative distribution (a binary search), so the
 * same generator state always gives the same rank. Immutable; the randomness is the caller's.
 */
final class Zipf {
    private final double[] cumulative;
    private final double exponent;

    /**
     * @param n the number of ranks, at least 1
     * @param exponent the law's exponent, not negative (0: every rank alike)
     */
    Zipf(int n, double exponent) {
        if (n < 1 || !(exponent >= 0)) {
            throw new IllegalArgumentException(
                    "n must be positive and the exponent not negative, were " + n + " and " + exponent);
        }
        this.exponent = exponent;
        this.cumulative = new double[n];
        double sum = 0;
        for (int k = 1; k <= n; k++) {
            sum += 1 / Math.pow(k, exponent);
            cumulative[k - 1] = sum;
        }
        for (int i = 0; i < n; i++) {
            cumulative[i] /= sum;
        }
        cumulative[n - 1] = 1.0;
    }

    /** The number of ranks. */
    int size() {
        return cumulative.length;
    }

    /** The law's exponent. */
    double exponent() {
        return exponent;
    }

    /** The probability of rank {@code k} (from 1). */
    double probability(int k) {
        return cumulative[k - 1] - (k == 1 ? 0 : cumulative[k - 2]);
    }

    /** A rank from 1 to {@link #size()}. */
    int draw(SplittableRandom random) {
        double u = random.nextDouble();
        int i = Arrays.binarySearch(cumulative, u);
        // rank k covers [cumulative[k - 2], cumulative[k - 1]): the first rank whose cumulative passes u
        int index = i >= 0 ? i + 1 : -i - 1;
        return Math.min(index, cumulative.length - 1) + 1;
    }
}
