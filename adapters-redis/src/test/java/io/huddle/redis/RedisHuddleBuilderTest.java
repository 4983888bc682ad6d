package io.huddle.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.huddle.core.api.CacheKey;
import io.huddle.core.api.CachePolicy;
import io.huddle.core.api.DataKind;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

@DisplayName("The Redis entry point's builder and key format")
class RedisHuddleBuilderTest {
    private static final DataKind<String> STATS =
            DataKind.of("stats", String.class, CachePolicy.ofTtl(Duration.ofHours(1)));

    @Test
    @DisplayName("keys follow <prefix>:<schema>:<kind>:<escaped id>")
    void keyFormat() {
        try (RedisHuddle redis = RedisHuddle.builder().build()) {
            assertThat(redis.keyOf(new CacheKey(STATS, "4412:2024"))).isEqualTo("huddle:1:stats:4412%3A2024");
        }
    }

    @Test
    @DisplayName("rejects a key prefix that could hold a separator or a glob, naming it")
    void badPrefix() {
        for (String prefix : List.of("", "a:b", "a*", "{a}", "x".repeat(65))) {
            assertThatThrownBy(() -> RedisHuddle.builder().keyPrefix(prefix))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("keyPrefix must be");
        }
    }

    @Test
    @DisplayName("rejects bad numbers, naming the field and the value")
    void badNumbers() {
        assertThatThrownBy(() -> RedisHuddle.builder().standalone("localhost", 0))
                .hasMessage("port must be 1 to 65535, was 0");
        assertThatThrownBy(() -> RedisHuddle.builder().database(-1))
                .hasMessage("database must not be negative, was -1");
        assertThatThrownBy(() -> RedisHuddle.builder().maxPoolSize(0))
                .hasMessage("maxPoolSize must be positive, was 0");
        assertThatThrownBy(() -> RedisHuddle.builder().socketTimeout(Duration.ZERO))
                .hasMessage("socketTimeout must be positive, was PT0S");
        assertThatThrownBy(() -> RedisHuddle.builder().cluster(List.of("no-port")))
                .hasMessage("cluster node must be host:port, was 'no-port'");
    }

    @Test
    @DisplayName("reads a redis URI, and rejects another scheme without echoing the URI")
    void uri() {
        try (RedisHuddle redis = RedisHuddle.builder()
                .uri(URI.create("rediss://user:secret@cache.example:6380/2"))
                .build()) {
            assertThat(redis.toString())
                    .contains("standalone cache.example:6380/2 over TLS as user")
                    .doesNotContain("secret");
        }
        assertThatThrownBy(() -> RedisHuddle.builder().uri(URI.create("http://user:secret@host")))
                .hasMessage("uri must use the redis or rediss scheme, was 'http'");
    }

    @Test
    @DisplayName("refuses contradictory settings when building")
    void contradictions() {
        try (RedisClient client = RedisClient.create("127.0.0.1", 6379)) {
            assertThatThrownBy(() ->
                            RedisHuddle.builder().client(client).password("pw").build())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("client(...) excludes the connection settings, but these were set: [password]");
        }
        assertThatThrownBy(() -> RedisHuddle.builder()
                        .database(2)
                        .cluster(List.of("127.0.0.1:7000"))
                        .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("a Cluster has only database 0, but database was 2");
    }
}
