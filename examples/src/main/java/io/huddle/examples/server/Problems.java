package io.huddle.examples.server;

import io.huddle.core.api.CacheLoadException;
import io.huddle.core.api.CacheLoadTimeoutException;
import io.huddle.examples.server.Answers.PlayerAnswer;
import io.huddle.sports.PlayerLookupException;
import io.huddle.sports.UpstreamException;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what a request failed with into the problem the user gets. The typed failures of the
 * service map to their status; anything else is a 500 whose cause is logged here, never sent.
 */
final class Problems {
    private static final Logger log = LoggerFactory.getLogger(Problems.class);

    /** How long a user is told to wait when the upstream gave no {@code Retry-After}. */
    static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(5);

    private Problems() {}

    /** A request's own mistake, found by the server before any lookup. */
    static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message, null, false, false);
        }
    }

    /** Something asked for that does not exist. */
    static final class NotFound extends RuntimeException {
        NotFound(String message) {
            super(message, null, false, false);
        }
    }

    static Problem of(Exception failure) {
        if (failure instanceof BadRequest) {
            return Problem.of(400, "bad-request", "Bad request", failure.getMessage());
        }
        if (failure instanceof NotFound) {
            return Problem.of(404, "not-found", "Not found", failure.getMessage());
        }
        if (failure instanceof PlayerLookupException.InvalidName) {
            return Problem.of(400, "invalid-name", "Invalid player name", failure.getMessage());
        }
        if (failure instanceof PlayerLookupException.NotFound) {
            return Problem.of(404, "player-not-found", "Player not found", failure.getMessage());
        }
        if (failure instanceof PlayerLookupException.Ambiguous ambiguous) {
            return Problem.of(409, "ambiguous-name", "Ambiguous player name", ambiguous.getMessage())
                    .withCandidates(ambiguous.candidates().stream()
                            .map(PlayerAnswer::of)
                            .toList());
        }
        if (failure instanceof CacheLoadException load) {
            return upstream(load);
        }
        log.error("a request failed unexpectedly", failure);
        return Problem.of(500, "internal", "Internal error", "the server failed to answer; the error was logged");
    }

    /** A load that failed, with nothing stale to stand in: why, in the user's words. */
    private static Problem upstream(CacheLoadException load) {
        Optional<UpstreamException> cause = causeOf(load, UpstreamException.class);
        if (cause.isEmpty()) {
            if (causeOf(load, CacheLoadTimeoutException.class).isPresent()) {
                return Problem.of(
                                503,
                                "upstream-timeout",
                                "Upstream too slow",
                                "the data provider did not answer in time; nothing cached could stand in")
                        .retryAfter(DEFAULT_RETRY_AFTER);
            }
            return Problem.of(
                            503,
                            "upstream-failed",
                            "Upstream failed",
                            "loading " + load.kind() + " failed; nothing cached could stand in")
                    .retryAfter(DEFAULT_RETRY_AFTER);
        }
        UpstreamException upstream = cause.get();
        if (upstream instanceof UpstreamException.RateLimited limited) {
            return Problem.of(
                            503,
                            "upstream-rate-limited",
                            "Upstream rate limit reached",
                            "the data provider's plan allows no more requests now; nothing cached could stand in")
                    .retryAfter(limited.retryAfter().orElse(DEFAULT_RETRY_AFTER));
        }
        if (upstream instanceof UpstreamException.NotFound) {
            return Problem.of(404, "not-found", "Not found", "the data provider has no such " + load.kind());
        }
        if (upstream instanceof UpstreamException.Unavailable) {
            return Problem.of(
                            503,
                            "upstream-unavailable",
                            "Upstream unavailable",
                            "the data provider is not answering; nothing cached could stand in")
                    .retryAfter(DEFAULT_RETRY_AFTER);
        }
        if (upstream instanceof UpstreamException.Unauthorized) {
            log.error("the data provider refused this server's API key: {}", upstream.getMessage());
            return Problem.of(
                    502,
                    "upstream-refused",
                    "Upstream refused the server",
                    "the data provider refused this server's credentials; the operator has been told");
        }
        return Problem.of(
                502,
                "upstream-bad-answer",
                "Upstream answered badly",
                "the data provider's answer could not be used; nothing cached could stand in");
    }

    /** The failure or its first cause of the type: a nested load's failure is wrapped in its caller's. */
    private static <T extends Throwable> Optional<T> causeOf(Throwable failure, Class<T> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return Optional.of(type.cast(cause));
            }
        }
        return Optional.empty();
    }
}
