package io.huddle.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.huddle.core.SharedCache;
import io.huddle.core.api.CachePolicy;
import io.huddle.core.api.CacheStatistics;
import io.huddle.core.api.DataKind;
import io.huddle.core.api.Loaded;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Two engines on one Redis behave as two servers sharing one cache")
class RedisSharedAcrossEnginesTest {
    private static final DataKind<String> PLAYERS =
            DataKind.of("players", String.class, CachePolicy.ofTtl(Duration.ofMinutes(5)));

    private final String prefix = TestRedis.newPrefix();
    private final SharedCache serverA =
            SharedCache.builder(TestRedis.redisOn(prefix).build().cachePort()).build();
    private final SharedCache serverB =
            SharedCache.builder(TestRedis.redisOn(prefix).build().cachePort()).build();

    @AfterEach
    void close() {
        serverA.close();
        serverB.close();
        TestRedis.deletePrefix(prefix);
    }

    @Test
    @DisplayName("what server A loads, server B serves without calling its loader, and saves its cost")
    void loadOnceServeEverywhere() {
        AtomicInteger loadsA = new AtomicInteger();
        AtomicInteger loadsB = new AtomicInteger();

        assertThat(serverA.get(PLAYERS, "15", id -> {
                    loadsA.incrementAndGet();
                    return Loaded.of("Patrick Mahomes", 3);
                }))
                .contains("Patrick Mahomes");
        assertThat(serverB.get(PLAYERS, "15", id -> {
                    loadsB.incrementAndGet();
                    return Loaded.of("loaded by B", 3);
                }))
                .contains("Patrick Mahomes");

        assertThat(loadsA).hasValue(1);
        assertThat(loadsB).hasValue(0);
        CacheStatistics a = serverA.stats(PLAYERS);
        assertThat(a.misses()).isEqualTo(1);
        assertThat(a.loads()).isEqualTo(1);
        assertThat(a.upstreamCalls()).isEqualTo(3);
        CacheStatistics b = serverB.stats(PLAYERS);
        assertThat(b.hits()).isEqualTo(1);
        assertThat(b.loads()).isZero();
        assertThat(b.upstreamCallsSaved()).isEqualTo(3);
        assertThat(b.entries()).as("both see the one entry in Redis").isEqualTo(1);
    }

    @Test
    @DisplayName("a not-found answer loaded by server A is a negative hit on server B")
    void notFoundIsShared() {
        serverA.get(PLAYERS, "Tom Brady", id -> Loaded.notFound(2));

        assertThat(serverB.get(PLAYERS, "Tom Brady", id -> Loaded.of("loaded by B")))
                .isEmpty();
        assertThat(serverB.stats(PLAYERS).negativeHits()).isEqualTo(1);
        assertThat(serverB.stats(PLAYERS).upstreamCallsSaved()).isEqualTo(2);
    }
}
