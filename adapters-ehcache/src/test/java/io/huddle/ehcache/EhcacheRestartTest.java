package io.huddle.ehcache;

import static org.assertj.core.api.Assertions.assertThat;

import io.huddle.core.SharedCache;
import io.huddle.core.api.CacheKey;
import io.huddle.core.api.CachePolicy;
import io.huddle.core.api.DataKind;
import io.huddle.core.api.Loaded;
import io.huddle.core.spi.CacheEntry;
import io.huddle.testkit.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The Ehcache port across a restart")
class EhcacheRestartTest {
    record Player(String name, int number, List<String> tags) {}

    private static final DataKind<Player> PLAYERS =
            DataKind.of("players", Player.class, CachePolicy.ofTtl(Duration.ofHours(1)));

    @TempDir
    Path directory;

    private final ManualClock clock = new ManualClock();

    private EhcacheCachePort open() {
        return EhcacheCachePort.builder(directory)
                .offHeapMegabytes(1)
                .diskMegabytes(4)
                .clock(clock)
                .build();
    }

    @Test
    @DisplayName("entries written before closing are read back equal after reopening the directory")
    void readBack() {
        Instant now = clock.instant();
        CacheEntry<Player> mahomes = CacheEntry.found(
                new Player("Patrick Mahomes", 15, List.of("QB", "KC")),
                now,
                now.plus(Duration.ofHours(1)),
                now.plus(Duration.ofHours(2)),
                2);
        CacheEntry<Player> brady = CacheEntry.notFound(now, now.plus(Duration.ofMinutes(5)), 1);
        try (EhcacheCachePort port = open()) {
            port.put(new CacheKey(PLAYERS, "15"), mahomes, Duration.ofHours(2));
            port.put(new CacheKey(PLAYERS, "Tom Brady"), brady, Duration.ofMinutes(5));
        }

        try (EhcacheCachePort reopened = open()) {
            assertThat(reopened.get(new CacheKey(PLAYERS, "15"))).contains(mahomes);
            assertThat(reopened.get(new CacheKey(PLAYERS, "Tom Brady"))).contains(brady);
            assertThat(reopened.statistics().entries(PLAYERS.name())).isEqualTo(2);
        }
    }

    @Test
    @DisplayName(
            "after reopening, the entries on disk are enumerated for the kinds named, before any key of them is asked")
    void enumeratesAfterRestart() {
        CacheEntry<Player> allen = player("Josh Allen");
        CacheEntry<Player> hurts = player("Jalen Hurts");
        try (EhcacheCachePort port = open()) {
            port.put(new CacheKey(PLAYERS, "17"), allen, Duration.ofHours(1));
            port.put(new CacheKey(PLAYERS, "1"), hurts, Duration.ofHours(1));
        }

        try (EhcacheCachePort reopened = open()) {
            java.util.Map<CacheKey, CacheEntry<?>> byDefault = new java.util.HashMap<>();
            reopened.forEachEntry(byDefault::put);
            java.util.Map<CacheKey, CacheEntry<?>> named = new java.util.HashMap<>();
            reopened.forEachEntry(List.of(PLAYERS), named::put);

            assertThat(byDefault).as("no kind met yet in this process").isEmpty();
            assertThat(named)
                    .containsOnlyKeys(new CacheKey(PLAYERS, "17"), new CacheKey(PLAYERS, "1"))
                    .containsEntry(new CacheKey(PLAYERS, "17"), allen);
        }
    }

    @Test
    @DisplayName("an entry keeps only the time it had left: gone if it ran out while closed, else expiring on time")
    void remainingTime() {
        CacheKey shortLived = new CacheKey(PLAYERS, "short");
        CacheKey longLived = new CacheKey(PLAYERS, "long");
        try (EhcacheCachePort port = open()) {
            port.put(shortLived, player("short"), Duration.ofMinutes(10));
            port.put(longLived, player("long"), Duration.ofMinutes(60));
        }

        clock.advance(Duration.ofMinutes(20));
        try (EhcacheCachePort reopened = open()) {
            assertThat(reopened.get(shortLived)).isEmpty();
            assertThat(reopened.statistics().entries(PLAYERS.name())).isEqualTo(1);

            clock.advance(Duration.ofMinutes(40).minusSeconds(1));
            assertThat(reopened.get(longLived)).isPresent();

            clock.advance(Duration.ofSeconds(1));
            assertThat(reopened.get(longLived)).isEmpty();
        }
    }

    @Test
    @DisplayName("a shared cache reopened on the directory serves what it loaded before, without loading again")
    void engineAcrossRestart() {
        AtomicInteger loads = new AtomicInteger();
        Player allen = new Player("Josh Allen", 17, List.of("QB", "BUF"));
        try (SharedCache cache = SharedCache.builder(open()).clock(clock).build()) {
            assertThat(cache.get(PLAYERS, "17", id -> {
                        loads.incrementAndGet();
                        return Loaded.of(allen);
                    }))
                    .contains(allen);
            assertThat(cache.get(PLAYERS, "Tom Brady", id -> {
                        loads.incrementAndGet();
                        return Loaded.notFound();
                    }))
                    .isEmpty();
        }
        assertThat(loads).hasValue(2);

        clock.advance(Duration.ofMinutes(1));
        try (SharedCache cache = SharedCache.builder(open()).clock(clock).build()) {
            assertThat(cache.get(PLAYERS, "17", id -> {
                        loads.incrementAndGet();
                        return Loaded.of(new Player("someone else", 0, List.of()));
                    }))
                    .contains(allen);
            assertThat(cache.get(PLAYERS, "Tom Brady", id -> {
                        loads.incrementAndGet();
                        return Loaded.of(new Player("Tom Brady", 12, List.of()));
                    }))
                    .isEmpty();

            assertThat(loads).as("loads after the restart").hasValue(2);
            assertThat(cache.stats(PLAYERS).hits()).isEqualTo(1);
            assertThat(cache.stats(PLAYERS).negativeHits()).isEqualTo(1);
        }
    }

    private CacheEntry<Player> player(String name) {
        Instant now = clock.instant();
        return CacheEntry.found(new Player(name, 1, List.of()), now, now.plusSeconds(60), now.plusSeconds(60), 1);
    }
}
