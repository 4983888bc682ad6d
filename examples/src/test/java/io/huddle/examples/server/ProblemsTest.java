package io.huddle.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.huddle.core.api.CacheKey;
import io.huddle.core.api.CacheLoadException;
import io.huddle.core.api.CacheLoadTimeoutException;
import io.huddle.sports.SportsKinds;
import io.huddle.sports.UpstreamException;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("What a failed request becomes for the user")
class ProblemsTest {
    private static final CacheKey KEY = new CacheKey(SportsKinds.PLAYER_ID, "lamar jackson");

    private static CacheLoadException failedBy(Throwable cause) {
        return new CacheLoadException(KEY, "loading failed", cause);
    }

    @Test
    @DisplayName("a provider refusing the key is a 502 that says so without the provider's words")
    void refusedKey() {
        Problem problem =
                Problems.of(failedBy(new UpstreamException.Unauthorized("GET /nfl/v1/players", "401 for key abc123")));

        assertThat(problem.status()).isEqualTo(502);
        assertThat(problem.type()).isEqualTo("/problems/upstream-refused");
        assertThat(problem.detail()).doesNotContain("abc123").doesNotContain("/nfl/v1");
    }

    @Test
    @DisplayName("a timeout nested in another load's failure is still a 503 timeout with Retry-After")
    void nestedTimeout() {
        Problem problem = Problems.of(failedBy(new CacheLoadTimeoutException(
                new CacheKey(SportsKinds.PLAYER_SEARCH, "jackson"), Duration.ofSeconds(10))));

        assertThat(problem.status()).isEqualTo(503);
        assertThat(problem.type()).isEqualTo("/problems/upstream-timeout");
        assertThat(problem.retryAfter()).isEqualTo(Problems.DEFAULT_RETRY_AFTER.toSeconds());
    }

    @Test
    @DisplayName("an upstream 404 is a 404; anything unexpected is a 500 that shows nothing of it")
    void notFoundAndUnexpected() {
        assertThat(Problems.of(failedBy(new UpstreamException.NotFound("GET /x", "no such team")))
                        .status())
                .isEqualTo(404);

        Problem unexpected = Problems.of(new IllegalArgumentException("secret internals at 10.0.0.7"));

        assertThat(unexpected.status()).isEqualTo(500);
        assertThat(unexpected.detail()).doesNotContain("10.0.0.7").doesNotContain("secret");
    }
}
