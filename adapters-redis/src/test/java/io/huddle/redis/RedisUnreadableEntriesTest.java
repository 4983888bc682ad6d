package io.huddle.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.huddle.core.SharedCache;
import io.huddle.core.api.BulkLoaded;
import io.huddle.core.api.CacheKey;
import io.huddle.core.api.CachePolicy;
import io.huddle.core.api.CacheStatistics;
import io.huddle.core.api.DataKind;
import io.huddle.core.api.Loaded;
import io.huddle.core.codec.EntryCodec;
import io.huddle.core.spi.CacheEntry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

@DisplayName("Entries in Redis that cannot be read")
class RedisUnreadableEntriesTest {
    private static final DataKind<String> PLAYERS =
            DataKind.of("players", String.class, CachePolicy.ofTtl(Duration.ofMinutes(5)));
    private static final CacheKey KEY = new CacheKey(PLAYERS, "15");

    private final String prefix = TestRedis.newPrefix();
    private final RedisHuddle port = TestRedis.redisOn(prefix).build();
    private final SharedCache cache = SharedCache.builder(port.cachePort()).build();
    private final UnifiedJedis redis = TestRedis.rawClient();
    private final AtomicInteger loads = new AtomicInteger();

    @AfterEach
    void close() {
        cache.close();
        TestRedis.deletePrefix(prefix);
        redis.close();
    }

    @Test
    @DisplayName("corrupt bytes are a counted miss, and the load replaces them with a good entry")
    void corruptBytes() {
        writeRaw("{\"schema\":1,\"kind\":\"players\",\"id\":\"15\",\"writtenAt\":".getBytes(StandardCharsets.UTF_8));

        assertThat(cache.get(PLAYERS, "15", this::load)).contains("Patrick Mahomes");

        assertReadAsMissThenRepaired();
    }

    @Test
    @DisplayName("an entry of an older schema version is a counted miss, and the load replaces it")
    void oldSchemaVersion() {
        Instant now = Instant.now();
        CacheEntry<String> old = CacheEntry.restore(
                "old shape", now, now.plusSeconds(300), now.plusSeconds(300), 1, CacheEntry.SCHEMA_VERSION - 1);
        writeRaw(EntryCodec.json().encode(KEY, old));

        assertThat(cache.get(PLAYERS, "15", this::load)).contains("Patrick Mahomes");

        assertReadAsMissThenRepaired();
    }

    @Test
    @DisplayName("in a read of many keys, the unreadable one is a counted miss and the others are hits")
    void unreadableAmongMany() {
        cache.get(PLAYERS, "17", id -> Loaded.of("Josh Allen"));
        writeRaw("garbage".getBytes(StandardCharsets.UTF_8));

        assertThat(cache.getAll(PLAYERS, List.of("15", "17"), ids -> {
                    loads.incrementAndGet();
                    return BulkLoaded.of(Map.of("15", "Patrick Mahomes"), 1);
                }))
                .containsOnly(Map.entry("15", "Patrick Mahomes"), Map.entry("17", "Josh Allen"));
        assertThat(cache.stats(PLAYERS).unreadable()).isPositive();
        assertThat(cache.stats(PLAYERS).hits()).isEqualTo(1);
        assertThat(loads).hasValue(1);
    }

    private Loaded<String> load(String id) {
        loads.incrementAndGet();
        return Loaded.of("Patrick Mahomes", 1);
    }

    /** Writes bytes under the exact key the port uses for {@link #KEY}, bypassing the port. */
    private void writeRaw(byte[] bytes) {
        redis.set(
                port.keyOf(KEY).getBytes(StandardCharsets.US_ASCII),
                bytes,
                SetParams.setParams().px(60_000));
    }

    private void assertReadAsMissThenRepaired() {
        CacheStatistics stats = cache.stats(PLAYERS);
        assertThat(loads).hasValue(1);
        assertThat(stats.misses()).isEqualTo(1);
        // counted per read: the engine reads the key once, then again as the loader before loading
        assertThat(stats.unreadable()).isPositive();
        assertThat(stats.backendErrors()).isZero();
        byte[] repaired = redis.get(port.keyOf(KEY).getBytes(StandardCharsets.US_ASCII));
        assertThat(EntryCodec.json().decode(KEY, repaired))
                .as("the key now holds a good entry")
                .hasValueSatisfying(
                        entry -> assertThat(entry.value().orElseThrow()).isEqualTo("Patrick Mahomes"));
    }
}
