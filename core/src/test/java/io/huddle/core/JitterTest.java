package io.huddle.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.huddle.core.api.BulkLoaded;
import io.huddle.core.api.CacheKey;
import io.huddle.core.api.CachePolicy;
import io.huddle.core.api.DataKind;
import io.huddle.core.api.Loaded;
import io.huddle.core.memory.InMemoryCachePort;
import io.huddle.core.spi.CacheEntry;
import io.huddle.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Jitter spreads the expiry of entries loaded together")
class JitterTest {
    private static final Duration TTL = Duration.ofMinutes(100);

    private final ManualClock clock = new ManualClock();
    private final InMemoryCachePort port = new InMemoryCachePort(clock);
    private final SharedCache cache = SharedCache.builder(port).clock(clock).build();

    @AfterEach
    void close() {
        cache.close();
    }

    private Set<Duration> freshLifetimes(DataKind<String> kind) {
        Set<Duration> lifetimes = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            String id = "player-" + i;
            cache.get(kind, id, key -> Loaded.of("stats of " + key));
            CacheEntry<?> entry = port.get(new CacheKey(kind, id)).orElseThrow();
            lifetimes.add(Duration.between(entry.writtenAt(), entry.freshUntil()));
        }
        return lifetimes;
    }

    @Test
    @DisplayName("each ttl falls within the configured fraction below the ttl, and they differ")
    void spread() {
        DataKind<String> kind =
                EngineFixtures.kind(CachePolicy.builder(TTL).jitter(0.2).build());

        Set<Duration> lifetimes = freshLifetimes(kind);

        assertThat(lifetimes).allSatisfy(lifetime -> assertThat(lifetime).isBetween(Duration.ofMinutes(80), TTL));
        assertThat(lifetimes).as("spread over many distinct instants").hasSizeGreaterThan(100);
    }

    @Test
    @DisplayName("without jitter every entry lives exactly the ttl")
    void none() {
        DataKind<String> kind = EngineFixtures.kind(CachePolicy.ofTtl(TTL));

        assertThat(freshLifetimes(kind)).containsExactly(TTL);
    }

    @Test
    @DisplayName("the entries of one bulk load share one expiry, so that they refresh together in one call")
    void oneExpiryPerLoad() {
        DataKind<String> kind =
                EngineFixtures.kind(CachePolicy.builder(TTL).jitter(0.5).build());
        Set<Instant> expiries = new HashSet<>();
        for (int load = 0; load < 20; load++) {
            List<String> ids = List.of("a" + load, "b" + load, "c" + load);
            cache.getAll(
                    kind, ids, keys -> BulkLoaded.of(Map.of(ids.get(0), "A", ids.get(1), "B", ids.get(2), "C"), 1));
            Set<Instant> ofThisLoad = new HashSet<>();
            for (String id : ids) {
                ofThisLoad.add(port.get(new CacheKey(kind, id)).orElseThrow().freshUntil());
            }
            assertThat(ofThisLoad).hasSize(1);
            expiries.addAll(ofThisLoad);
        }
        assertThat(expiries).as("separate loads still spread out").hasSizeGreaterThan(10);
    }
}
