package io.huddle.core.spi;

import io.huddle.core.internal.Arguments;
import java.time.Duration;
import java.util.Objects;

/**
 * An upstream's plan: at most {@code requests} in any window of {@code period}, wherever the window
 * starts, enforced as a token bucket ({@link #bucket()}).
 *
 * <p>A bucket of {@code burst} tokens refilled continuously with {@code requests - burst - headroom}
 * tokens a period lets at most {@code requests - headroom} requests through in any window of one
 * period. The headroom absorbs requests that reach the upstream a little later than they took their
 * permit. The {@code reserve} is the part of the bucket that background work never takes.
 *
 * @param requests the plan's limit per period
 * @param period the window the provider counts in, usually a minute
 * @param burst the bucket's capacity: requests that may go out back to back after a quiet spell
 * @param reserve tokens that background work leaves for users; below the burst
 * @param headroom requests of the plan left unused, for late arrivals
 */
public record BudgetPlan(int requests, Duration period, int burst, int reserve, int headroom) {

    public BudgetPlan {
        Arguments.positive("requests", requests);
        Arguments.positive("period", period);
        Arguments.positive("burst", burst);
        Arguments.notNegative("reserve", reserve);
        Arguments.notNegative("headroom", headroom);
        if (burst + headroom >= requests) {
            throw new IllegalArgumentException("burst + headroom must stay below the plan's " + requests
                    + " requests, was " + burst + " + " + headroom);
        }
        if (reserve >= burst && reserve > 0) {
            throw new IllegalArgumentException("reserve must be below the burst of " + burst + ", was " + reserve);
        }
    }

    /** A plan of {@code requests} a minute with the default burst, reserve and headroom. */
    public static BudgetPlan perMinute(int requests) {
        return of(requests, Duration.ofMinutes(1));
    }

    /**
     * A plan of {@code requests} per {@code period} (at least 2): burst a tenth of the plan (at least
     * 1), reserve half the burst, headroom a sixtieth of the plan (at least 1) while that leaves a
     * refill of at least one token, else none.
     */
    public static BudgetPlan of(int requests, Duration period) {
        Objects.requireNonNull(period, "period");
        if (requests < 2) {
            throw new IllegalArgumentException("requests must be at least 2, was " + requests);
        }
        int burst = Math.max(1, requests / 10);
        int headroom = Math.max(1, (requests + 59) / 60);
        if (burst + headroom >= requests) {
            headroom = 0;
        }
        return new BudgetPlan(requests, period, burst, burst / 2, headroom);
    }

    /** The same plan with another burst; the reserve is kept below it. */
    public BudgetPlan withBurst(int burst) {
        return new BudgetPlan(requests, period, burst, Math.min(reserve, Math.max(0, burst - 1)), headroom);
    }

    /** The same plan with another reserve. */
    public BudgetPlan withReserve(int reserve) {
        return new BudgetPlan(requests, period, burst, reserve, headroom);
    }

    /** The same plan with another headroom. */
    public BudgetPlan withHeadroom(int headroom) {
        return new BudgetPlan(requests, period, burst, reserve, headroom);
    }

    /** The bucket that enforces the plan for everyone sharing it. */
    public Bucket bucket() {
        return new Bucket(burst, requests - burst - headroom, period, reserve);
    }

    /**
     * One server's bucket when {@code servers} share the plan but cannot reach their shared bucket:
     * together the shares stay within the plan in any window. Each holds the burst divided among the
     * servers (at least one token) and refills its part of the rest; the reserve is divided likewise,
     * rounded down. With more servers than the burst, each share still holds one token, so the fleet
     * can then exceed the plan by up to {@code servers - burst - headroom} requests in one window.
     */
    public Bucket share(int servers) {
        Arguments.positive("servers", servers);
        if (servers == 1) {
            return bucket();
        }
        int capacity = Math.max(1, burst / servers);
        long refill = Math.max(1, requests - headroom - (long) servers * capacity);
        int shareReserve = Math.min(reserve / servers, capacity - 1);
        return new Bucket(capacity, refill, period.multipliedBy(servers), shareReserve);
    }

    /**
     * A token bucket: {@code capacity} tokens at most, {@code refillTokens} added evenly over every
     * {@code refillPeriod}, {@code reserve} of them kept for users.
     */
    public record Bucket(long capacity, long refillTokens, Duration refillPeriod, long reserve) {
        public Bucket {
            Arguments.positive("capacity", capacity);
            Arguments.positive("refillTokens", refillTokens);
            Arguments.positive("refillPeriod", refillPeriod);
            Arguments.notNegative("reserve", reserve);
        }
    }
}
