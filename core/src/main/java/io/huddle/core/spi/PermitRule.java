package io.huddle.core.spi;

import io.huddle.core.spi.UpstreamBudget.Priority;
import java.time.Duration;
import java.util.Objects;

/**
 * How an {@link UpstreamBudget} takes one permit from a token bucket, whatever holds the bucket (in
 * memory, in a shared store): the one rule every budget follows.
 *
 * <p>A user takes a token, or reserves the next one and waits for it when it comes within its wait
 * (reservations queue fairly; a token that would come later is not waited for at all). Background
 * work never waits, and keeps a token only if the bucket still holds at least the reserve after
 * taking it: it takes one and, if that dipped into the reserve, gives it straight back, so no number
 * of background requests arriving together can take the reserve (for the instant in between, a user
 * may find one token fewer). A user interrupted while waiting gets no permit, its reserved token goes
 * back, and its interrupt flag stays set.
 *
 * <p>A budget hands the rule its bucket as {@link Tokens}, a few lines over its bucket library.
 * Stateless.
 */
public final class PermitRule {
    private PermitRule() {}

    /** The operations of a token bucket the rule needs, one token at a time. */
    public interface Tokens {
        /** Takes a token if one is there now: the tokens left after taking it, or -1 if none was taken. */
        long takeReturningRemaining();

        /** Takes a token if one is there now, without waiting. */
        boolean take();

        /**
         * Reserves the next token and waits for it, if it comes within {@code maxWaitNanos}; returns
         * false at once, reserving nothing, if it would come later.
         *
         * @throws InterruptedException if interrupted while waiting, the token still reserved
         */
        boolean takeWaiting(long maxWaitNanos) throws InterruptedException;

        /** Puts one token back. */
        void giveBack();
    }

    /**
     * Whether a permit was taken from {@code bucket}, whose lowest {@code reserve} tokens are users'.
     *
     * @throws IllegalArgumentException if {@code maxWait} or {@code reserve} is negative
     */
    public static boolean take(Tokens bucket, Priority priority, Duration maxWait, long reserve) {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(priority, "priority");
        if (maxWait.isNegative()) {
            throw new IllegalArgumentException("maxWait must not be negative, was " + maxWait);
        }
        if (reserve < 0) {
            throw new IllegalArgumentException("reserve must not be negative, was " + reserve);
        }
        return priority == Priority.BACKGROUND ? aboveReserve(bucket, reserve) : forUser(bucket, maxWait);
    }

    private static boolean aboveReserve(Tokens bucket, long reserve) {
        long remaining = bucket.takeReturningRemaining();
        if (remaining >= 0 && remaining < reserve) {
            bucket.giveBack();
            return false;
        }
        return remaining >= 0;
    }

    private static boolean forUser(Tokens bucket, Duration maxWait) {
        if (maxWait.isZero()) {
            return bucket.take();
        }
        try {
            return bucket.takeWaiting(nanos(maxWait));
        } catch (InterruptedException e) {
            // the token was reserved for this thread, which will not send its request
            bucket.giveBack();
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static long nanos(Duration wait) {
        try {
            return wait.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }
}
