package io.huddle.sports;

import java.time.Duration;
import java.util.Optional;

/**
 * A sports data provider refused or failed a request. The subclasses say why; adapters translate
 * their transport's errors into them at the boundary. Messages never hold credentials.
 */
public abstract class UpstreamException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String request;

    protected UpstreamException(String request, String message, Throwable cause) {
        super(request + ": " + message, cause);
        this.request = request;
    }

    /** The request that failed, as {@code GET /nfl/v1/teams}, without credentials. */
    public String request() {
        return request;
    }

    /** Whether asking again later may succeed. */
    public abstract boolean isRetryable();

    /** The provider's rate limit (or ours, guarding it) refused the request. */
    public static final class RateLimited extends UpstreamException {
        private static final long serialVersionUID = 1L;
        private final Duration retryAfter;

        public RateLimited(String request, String message, Duration retryAfter) {
            this(request, message, retryAfter, null);
        }

        /**
         * With a cause: a client whose budget refused the permit gives a {@code
         * io.huddle.core.spi.PermitRefusedException}, so that the engine tells the refusal from a
         * failure.
         */
        public RateLimited(String request, String message, Duration retryAfter, Throwable cause) {
            super(request, message, cause);
            this.retryAfter = retryAfter;
        }

        /** How long the provider asked us to wait, if it said. */
        public Optional<Duration> retryAfter() {
            return Optional.ofNullable(retryAfter);
        }

        @Override
        public boolean isRetryable() {
            return true;
        }
    }

    /**
     * The provider is down, failing (5xx), too slow (no complete answer in time) or unreachable; a
     * later request may succeed.
     */
    public static final class Unavailable extends UpstreamException {
        private static final long serialVersionUID = 1L;

        public Unavailable(String request, String message, Throwable cause) {
            super(request, message, cause);
        }

        @Override
        public boolean isRetryable() {
            return true;
        }
    }

    /**
     * The provider answered, but with something the client cannot use: a body that is not the
     * expected JSON, data that contradict themselves, or a body larger than the client accepts. The
     * same request would get the same answer, so it is not retryable; it says nothing about whether
     * the provider is up, so a circuit breaker does not count it.
     */
    public static final class BadResponse extends UpstreamException {
        private static final long serialVersionUID = 1L;

        public BadResponse(String request, String message) {
            super(request, message, null);
        }

        @Override
        public boolean isRetryable() {
            return false;
        }
    }

    /** The provider has no such thing (404). */
    public static final class NotFound extends UpstreamException {
        private static final long serialVersionUID = 1L;

        public NotFound(String request, String message) {
            super(request, message, null);
        }

        @Override
        public boolean isRetryable() {
            return false;
        }
    }

    /** The provider refused the credentials (401, 403). */
    public static final class Unauthorized extends UpstreamException {
        private static final long serialVersionUID = 1L;

        public Unauthorized(String request, String message) {
            super(request, message, null);
        }

        @Override
        public boolean isRetryable() {
            return false;
        }
    }

    /** The provider rejected the request as malformed (400). */
    public static final class BadRequest extends UpstreamException {
        private static final long serialVersionUID = 1L;

        public BadRequest(String request, String message) {
            super(request, message, null);
        }

        @Override
        public boolean isRetryable() {
            return false;
        }
    }
}
