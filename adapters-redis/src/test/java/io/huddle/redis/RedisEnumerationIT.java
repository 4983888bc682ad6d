package io.huddle.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.huddle.core.api.CacheKey;
import io.huddle.core.api.CachePolicy;
import io.huddle.core.api.DataKind;
import io.huddle.core.snapshot.CacheSnapshots;
import io.huddle.core.snapshot.SnapshotRestored;
import io.huddle.core.spi.CacheEntry;
import io.huddle.core.spi.CachePort;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

@DisplayName("The Redis port enumerates the shared store's entries, for a snapshot")
class RedisEnumerationIT {
    private static final DataKind<String> PLAYERS =
            DataKind.of("players", String.class, CachePolicy.ofTtl(Duration.ofMinutes(5)));
    private static final DataKind<String> TEAMS =
            DataKind.of("teams", String.class, CachePolicy.ofTtl(Duration.ofMinutes(5)));

    private final String prefix = TestRedis.newPrefix();
    private final RedisHuddle writer = TestRedis.redisOn(prefix).build();
    private final RedisHuddle reader = TestRedis.redisOn(prefix).build();
    private final RedisHuddle otherPrefix =
            TestRedis.redisOn(TestRedis.newPrefix()).build();
    private final UnifiedJedis raw = TestRedis.rawClient();

    @AfterEach
    void close() {
        writer.close();
        reader.close();
        otherPrefix.close();
        TestRedis.deletePrefix(prefix);
        raw.close();
    }

    private static CacheEntry<String> entry(String value) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return CacheEntry.found(value, now, now.plusSeconds(60), now.plusSeconds(600), 1);
    }

    @Test
    @DisplayName("a port visits, by SCAN, the entries another server wrote, of the kinds named, across many SCAN steps")
    void entriesOfAnotherServer() {
        CachePort port = writer.cachePort();
        int count = RedisTopology.SCAN_COUNT * 3 + 7;
        for (int i = 0; i < count; i++) {
            port.put(new CacheKey(PLAYERS, "player " + i + ":é"), entry("p" + i), Duration.ofMinutes(10));
        }
        port.put(new CacheKey(TEAMS, "KC"), entry("Chiefs"), Duration.ofMinutes(10));
        otherPrefix.cachePort().put(new CacheKey(PLAYERS, "elsewhere"), entry("x"), Duration.ofMinutes(10));
        Map<CacheKey, CacheEntry<?>> seen = new HashMap<>();

        reader.cachePort().forEachEntry(List.of(PLAYERS), seen::put);

        assertThat(seen).hasSize(count).doesNotContainKey(new CacheKey(TEAMS, "KC"));
        assertThat(seen.get(new CacheKey(PLAYERS, "player 5:é")).rawValue()).isEqualTo("p5");
    }

    @Test
    @DisplayName("without kinds named, a port visits the kinds of the entries it has read or written in this process")
    void kindsMet() {
        writer.cachePort().put(new CacheKey(PLAYERS, "15"), entry("Mahomes"), Duration.ofMinutes(10));
        writer.cachePort().put(new CacheKey(TEAMS, "KC"), entry("Chiefs"), Duration.ofMinutes(10));
        reader.cachePort().get(new CacheKey(TEAMS, "KC"));
        Map<CacheKey, CacheEntry<?>> seen = new HashMap<>();

        reader.cachePort().forEachEntry(seen::put);

        assertThat(seen).containsOnlyKeys(new CacheKey(TEAMS, "KC"));
    }

    @Test
    @DisplayName("unreadable bytes are skipped and counted, and the readable entries are still visited")
    void unreadableSkipped() {
        CacheKey good = new CacheKey(PLAYERS, "15");
        writer.cachePort().put(good, entry("Mahomes"), Duration.ofMinutes(10));
        raw.set(
                writer.keyOf(new CacheKey(PLAYERS, "17")).getBytes(StandardCharsets.US_ASCII),
                "{not json".getBytes(StandardCharsets.UTF_8),
                SetParams.setParams().px(60_000));
        raw.set(
                prefix + ":" + CacheEntry.SCHEMA_VERSION + ":players:bad%ZZ",
                "x",
                SetParams.setParams().px(60_000));
        Map<CacheKey, CacheEntry<?>> seen = new HashMap<>();

        reader.cachePort().forEachEntry(List.of(PLAYERS), seen::put);

        assertThat(seen).containsOnlyKeys(good);
        assertThat(reader.cachePort().statistics().unreadableByKind()).containsEntry(PLAYERS.name(), 2L);
    }

    @Test
    @DisplayName("a snapshot of the shared tier refills a Redis that lost its entries, and never replaces a newer one")
    void snapshotRefillsRedis(@TempDir Path directory) {
        CachePort port = writer.cachePort();
        CacheEntry<String> mahomes = entry("Mahomes");
        port.put(new CacheKey(PLAYERS, "15"), mahomes, Duration.ofMinutes(10));
        port.put(new CacheKey(PLAYERS, "17"), entry("Allen"), Duration.ofMinutes(10));
        CacheSnapshots snapshots =
                CacheSnapshots.builder(List.of(PLAYERS, TEAMS)).build();
        Path file = directory.resolve("redis.snapshot");
        snapshots.write(reader.cachePort(), file);
        TestRedis.deletePrefix(prefix);
        CacheEntry<String> newer = CacheEntry.found(
                "Allen, newer",
                Instant.now().plusSeconds(1).truncatedTo(ChronoUnit.MILLIS),
                Instant.now().plusSeconds(60),
                Instant.now().plusSeconds(600),
                1);
        port.put(new CacheKey(PLAYERS, "17"), newer, Duration.ofMinutes(10));

        SnapshotRestored restored = snapshots.restore(reader.cachePort(), file);

        assertThat(restored.restored()).isEqualTo(1);
        assertThat(restored.olderThanStored()).isEqualTo(1);
        assertThat(port.get(new CacheKey(PLAYERS, "15"))).contains(mahomes);
        assertThat(port.get(new CacheKey(PLAYERS, "17"))).contains(newer);
    }
}
