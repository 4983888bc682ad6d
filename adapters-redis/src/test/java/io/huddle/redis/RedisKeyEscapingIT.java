package io.huddle.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.huddle.core.api.CacheKey;
import io.huddle.core.api.CachePolicy;
import io.huddle.core.api.DataKind;
import io.huddle.core.spi.CacheEntry;
import io.huddle.core.spi.CachePort;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

/** On a Redis of its own, so that it can see every key in the database, not only its prefix. */
@DisplayName("Ids are escaped into keys that cannot reach outside their kind")
class RedisKeyEscapingIT {
    private static final CachePolicy POLICY = CachePolicy.ofTtl(Duration.ofMinutes(5));
    private static final DataKind<String> A = DataKind.of("a", String.class, POLICY);
    private static final DataKind<String> AB = DataKind.of("ab", String.class, POLICY);
    private static final String PREFIX = "escaping";

    /** Each odd id and the key it must be stored under. */
    private static final Map<String, String> ESCAPED = new LinkedHashMap<>();

    static {
        ESCAPED.put("a:b", "escaping:1:a:a%3Ab");
        ESCAPED.put("*", "escaping:1:a:%2A");
        ESCAPED.put("x?[y]", "escaping:1:a:x%3F%5By%5D");
        ESCAPED.put("{tag}", "escaping:1:a:%7Btag%7D");
        ESCAPED.put("%41", "escaping:1:a:%2541");
        ESCAPED.put("A", "escaping:1:a:A");
        ESCAPED.put("Zoë", "escaping:1:a:Zo%C3%AB");
        ESCAPED.put("two words", "escaping:1:a:two%20words");
        ESCAPED.put("back\\slash", "escaping:1:a:back%5Cslash");
        ESCAPED.put("T.J._Watt~-", "escaping:1:a:T.J._Watt~-");
    }

    private static OwnedRedis server;
    private static UnifiedJedis redis;
    private static CachePort port;

    @BeforeAll
    static void start() {
        server = OwnedRedis.start();
        System.out.println("[huddle-test] Redis for key escaping: 127.0.0.1:" + server.port + " (" + server.kind()
                + ", started for this test)");
        redis = RedisClient.create("127.0.0.1", server.port);
        port = RedisHuddle.builder()
                .standalone("127.0.0.1", server.port)
                .keyPrefix(PREFIX)
                .build()
                .cachePort();
    }

    @AfterAll
    static void stop() {
        port.close();
        redis.close();
        server.close();
    }

    @Test
    @DisplayName("each odd id gets its own percent-encoded key under the prefix, and no other key exists")
    void distinctKeysUnderThePrefix() {
        redis.flushDB(); // this server is the test's own
        ESCAPED.keySet().forEach(id -> put(A, id));

        assertThat(TestRedis.keysUnder(redis::scan, PREFIX)).containsExactlyInAnyOrderElementsOf(ESCAPED.values());
        assertThat(redis.dbSize()).as("no key outside the prefix").isEqualTo(ESCAPED.size());
        ESCAPED.keySet()
                .forEach(id -> assertThat(port.get(new CacheKey(A, id))
                                .orElseThrow()
                                .value()
                                .orElseThrow())
                        .as(id)
                        .isEqualTo("value of " + id));
    }

    @Test
    @DisplayName("invalidating the id '*' removes that one entry only")
    void starIsNotAGlob() {
        put(A, "*");
        put(A, "other");

        port.invalidate(new CacheKey(A, "*"));

        assertThat(port.get(new CacheKey(A, "*"))).isEmpty();
        assertThat(port.get(new CacheKey(A, "other"))).isPresent();
    }

    @Test
    @DisplayName("invalidating kind 'a' leaves kind 'ab', even its ids that hold '*' or ':'")
    void kindIsNotAPrefixOfAnother() {
        List<String> ids = List.of("1", "*", "a:1", ":*");
        ids.forEach(id -> put(A, id));
        ids.forEach(id -> put(AB, id));

        port.invalidateKind(A);

        ids.forEach(
                id -> assertThat(port.get(new CacheKey(A, id))).as("a " + id).isEmpty());
        ids.forEach(
                id -> assertThat(port.get(new CacheKey(AB, id))).as("ab " + id).isPresent());
    }

    private static void put(DataKind<String> kind, String id) {
        Instant now = Instant.now();
        port.put(
                new CacheKey(kind, id),
                CacheEntry.found("value of " + id, now, now.plusSeconds(60), now.plusSeconds(60), 1),
                Duration.ofMinutes(1));
    }
}
