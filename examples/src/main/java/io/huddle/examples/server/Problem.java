package io.huddle.examples.server;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.huddle.examples.server.Answers.PlayerAnswer;
import java.time.Duration;
import java.util.List;

/**
 * An error answer as RFC 9457 problem details ({@code application/problem+json}): a type naming the
 * problem, a title, the HTTP status, a detail in words for the user, and the request's path; an
 * ambiguous name adds its candidates. Never a stack trace, an upstream address or a key.
 *
 * @param type the problem's kind, {@code /problems/<name>}
 * @param title the same for every problem of the type
 * @param status the HTTP status
 * @param detail what went wrong with this request
 * @param instance the request's path
 * @param candidates the players an ambiguous name matched, else null
 * @param retryAfter when to ask again, in seconds (also the {@code Retry-After} header), else null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record Problem(
        String type,
        String title,
        int status,
        String detail,
        String instance,
        List<PlayerAnswer> candidates,
        Long retryAfter) {

    static final String CONTENT_TYPE = "application/problem+json";

    static Problem of(int status, String name, String title, String detail) {
        return new Problem("/problems/" + name, title, status, detail, null, null, null);
    }

    Problem at(String path) {
        return new Problem(type, title, status, detail, path, candidates, retryAfter);
    }

    Problem withCandidates(List<PlayerAnswer> players) {
        return new Problem(type, title, status, detail, instance, List.copyOf(players), retryAfter);
    }

    /** With a wait of at least a second, rounded up to whole seconds. */
    Problem retryAfter(Duration wait) {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        return new Problem(type, title, status, detail, instance, candidates, seconds);
    }
}
