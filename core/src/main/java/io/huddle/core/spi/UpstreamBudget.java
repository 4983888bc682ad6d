package io.huddle.core.spi;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * The upstream's request budget: a permit for every request sent to a paid, rate-limited API, so
 * that everyone sharing the API key together stays within its plan ({@link BudgetPlan}).
 *
 * <p>An in-process budget guards one process; a distributed one (a token bucket in a shared store)
 * guards every server using the same key, and when its store is unreachable falls back to this
 * server's share of the plan, never the whole plan.
 *
 * <p>Requests have a {@link Priority}: a user waiting on a load goes before background work, which
 * gets a permit only while the budget holds more than the plan's reserve. Implementations are
 * thread-safe.
 */
public interface UpstreamBudget extends AutoCloseable {

    /**
     * Takes one permit, waiting at most {@code maxWait} for one to become free; a wait that could not
     * end in a permit within {@code maxWait} is not begun. A background request never waits: it gets
     * a permit at once while the budget holds more than the reserve, else none. A user interrupted
     * while waiting gets none and keeps its interrupt flag.
     *
     * @return whether a permit was taken; without one the request must not be sent
     * @throws IllegalArgumentException if {@code maxWait} is negative
     */
    boolean tryAcquire(Priority priority, Duration maxWait);

    /** The plan this budget enforces. */
    BudgetPlan plan();

    /** What this budget has handed out so far, in this process. */
    BudgetStatistics statistics();

    /** Releases what the budget holds (threads, connections it owns); idempotent. */
    @Override
    default void close() {}

    /**
     * Who is asking. The engine runs every load with the priority of its purpose ({@link
     * #current()} inside a loader): {@link #USER} for a load a caller waits on, {@link #BACKGROUND}
     * for a refresh, warming or prefetch.
     */
    enum Priority {
        /** A user is waiting for the answer. */
        USER,
        /** Nobody waits: a refresh, warming, prefetch. Never takes the plan's reserve. */
        BACKGROUND;

        private static final ThreadLocal<Priority> CURRENT = new ThreadLocal<>();

        /** The priority of the load running on this thread; {@link #USER} outside of one. */
        public static Priority current() {
            Priority current = CURRENT.get();
            return current == null ? USER : current;
        }

        /** Runs {@code work} with this priority as {@link #current()}, then restores the previous one. */
        public <T> T callAs(Callable<T> work) throws Exception {
            Objects.requireNonNull(work, "work");
            Priority previous = CURRENT.get();
            CURRENT.set(this);
            try {
                return work.call();
            } finally {
                if (previous == null) {
                    CURRENT.remove();
                } else {
                    CURRENT.set(previous);
                }
            }
        }
    }
}
