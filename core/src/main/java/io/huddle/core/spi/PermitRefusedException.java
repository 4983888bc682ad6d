package io.huddle.core.spi;

import java.util.Locale;
import java.util.Optional;

/**
 * An {@link UpstreamBudget} gave no permit, so the request was not sent. A client throws it, or keeps
 * it as the cause of its own exception, so that the engine can tell a load refused for want of budget
 * from a failure: a background load refused is counted as skipped for budget, arms no fail-safe
 * throttle and logs nothing, and a user waiting on it loads the key at its own priority.
 */
public final class PermitRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final UpstreamBudget.Priority priority;

    /** A refusal of a permit of the given priority. */
    public PermitRefusedException(UpstreamBudget.Priority priority) {
        super(
                "the upstream budget gave no " + priority.name().toLowerCase(Locale.ROOT) + " permit",
                null,
                false,
                false);
        this.priority = priority;
    }

    /** The priority the permit was asked with. */
    public UpstreamBudget.Priority priority() {
        return priority;
    }

    /** Whether {@code failure} is, or has among its causes, a {@link PermitRefusedException}. */
    public static boolean isIn(Throwable failure) {
        return of(failure).isPresent();
    }

    /** The {@link PermitRefusedException} that {@code failure} is or has among its causes, if any. */
    public static Optional<PermitRefusedException> of(Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < 32; depth++, t = t.getCause()) {
            if (t instanceof PermitRefusedException refused) {
                return Optional.of(refused);
            }
        }
        return Optional.empty();
    }
}
