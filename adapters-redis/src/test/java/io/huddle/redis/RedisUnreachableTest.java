package io.huddle.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.huddle.core.SharedCache;
import io.huddle.core.api.CacheKey;
import io.huddle.core.api.CachePolicy;
import io.huddle.core.api.DataKind;
import io.huddle.core.api.Loaded;
import io.huddle.core.spi.CacheBackendException;
import io.huddle.core.spi.CacheEntry;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A Redis port pointed at a port where nothing listens")
class RedisUnreachableTest {
    private static final String PASSWORD = "s3cret-Pa55word";
    private static final DataKind<String> PLAYERS =
            DataKind.of("players", String.class, CachePolicy.ofTtl(Duration.ofMinutes(5)));
    private static final CacheKey KEY = new CacheKey(PLAYERS, "15");

    private final RedisHuddle port = RedisHuddle.builder()
            .uri(URI.create("redis://huddle:" + PASSWORD + "@127.0.0.1:" + OwnedRedis.freePort() + "/3"))
            .connectTimeout(Duration.ofMillis(500))
            .build();

    @AfterEach
    void close() {
        port.close();
    }

    @Test
    @DisplayName("fails every operation with a CacheBackendException that names it and hides the password")
    void failsWithBackendException() {
        Instant now = Instant.now();
        CacheEntry<String> entry = CacheEntry.found("v", now, now.plusSeconds(60), now.plusSeconds(60), 1);

        assertThatThrownBy(() -> port.cachePort().get(KEY))
                .isExactlyInstanceOf(CacheBackendException.class)
                .hasMessageStartingWith("redis: get players:15: ")
                .message()
                .doesNotContain(PASSWORD);
        assertThatThrownBy(() -> port.cachePort().put(KEY, entry, Duration.ofMinutes(1)))
                .isExactlyInstanceOf(CacheBackendException.class)
                .hasMessageStartingWith("redis: put players:15: ")
                .message()
                .doesNotContain(PASSWORD);
        assertThatThrownBy(() -> port.cachePort().getAll(List.of(KEY)))
                .isExactlyInstanceOf(CacheBackendException.class);
        assertThatThrownBy(() -> port.cachePort().invalidate(KEY)).isExactlyInstanceOf(CacheBackendException.class);
        assertThatThrownBy(() -> port.cachePort().invalidateKind(PLAYERS))
                .isExactlyInstanceOf(CacheBackendException.class);
        assertThatThrownBy(port.cachePort()::statistics).isExactlyInstanceOf(CacheBackendException.class);
        assertThat(port.toString()).doesNotContain(PASSWORD).contains("127.0.0.1");
    }

    @Test
    @DisplayName("an engine over it still answers through the loader, and counts the backend errors")
    void engineAnswersThroughLoader() {
        try (SharedCache cache = SharedCache.builder(port.cachePort()).build()) {
            assertThat(cache.get(PLAYERS, "15", id -> Loaded.of("Patrick Mahomes")))
                    .contains("Patrick Mahomes");
            assertThat(cache.get(PLAYERS, "15", id -> Loaded.of("Patrick Mahomes")))
                    .contains("Patrick Mahomes");

            assertThat(cache.stats(PLAYERS).backendErrors()).isPositive();
            assertThat(cache.stats(PLAYERS).loads()).isEqualTo(2);
        }
    }
}
