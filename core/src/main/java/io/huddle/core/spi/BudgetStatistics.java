package io.huddle.core.spi;

/**
 * What an {@link UpstreamBudget} has handed out in this process since it was made: an immutable
 * snapshot.
 *
 * @param userPermits permits taken for requests a user waited on
 * @param backgroundPermits permits taken for background work (refreshes, warming, prefetch)
 * @param refused requests that got no permit: no token within their wait, or (background) none above
 *     the reserve; they were not sent
 * @param fallbackPermits permits of the two above taken from this server's share of the plan while
 *     the shared budget was unreachable
 */
public record BudgetStatistics(long userPermits, long backgroundPermits, long refused, long fallbackPermits) {

    /** All zero. */
    public static final BudgetStatistics EMPTY = new BudgetStatistics(0, 0, 0, 0);

    /** Permits taken, of either priority. */
    public long permits() {
        return userPermits + backgroundPermits;
    }

    /** The counts of both added together. */
    public BudgetStatistics plus(BudgetStatistics other) {
        return new BudgetStatistics(
                userPermits + other.userPermits,
                backgroundPermits + other.backgroundPermits,
                refused + other.refused,
                fallbackPermits + other.fallbackPermits);
    }

    /** These counts less {@code earlier}'s, never below zero: what happened between two snapshots. */
    public BudgetStatistics minus(BudgetStatistics earlier) {
        return new BudgetStatistics(
                Math.max(0, userPermits - earlier.userPermits),
                Math.max(0, backgroundPermits - earlier.backgroundPermits),
                Math.max(0, refused - earlier.refused),
                Math.max(0, fallbackPermits - earlier.fallbackPermits));
    }
}
