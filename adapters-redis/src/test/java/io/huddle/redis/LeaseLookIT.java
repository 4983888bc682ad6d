package io.huddle.redis;

import static io.huddle.redis.Servers.PLAYERS;
import static org.assertj.core.api.Assertions.assertThat;

import io.huddle.core.api.CacheKey;
import io.huddle.core.spi.CacheEntry;
import io.huddle.core.spi.LoadCoordinator.Claim;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Taking a lease looks at the entry in the same step; the recheck after it uses that look once")
class LeaseLookIT {
    private static final CacheKey KEY = new CacheKey(PLAYERS, "17");

    private final String prefix = TestRedis.newPrefix();

    @AfterEach
    void deleteKeys() {
        TestRedis.deletePrefix(prefix);
    }

    @Test
    @DisplayName("a lease taken over an existing entry: the recheck on the claiming thread reads that entry")
    void leaseTakenOverAnEntryReadsIt() {
        try (RedisHuddle here = TestRedis.redisOn(prefix).build();
                RedisHuddle other = TestRedis.redisOn(prefix).build()) {
            other.cachePort().put(KEY, entry("written by another server"), Duration.ofMinutes(5));
            RedisLoadCoordinator coordinator = here.redisLoadCoordinator();

            Claim claim = coordinator.claim(KEY);

            assertThat(claim.isLeader()).isTrue();
            assertThat(valueOf(here.cachePort().getLatest(KEY)))
                    .as("the recheck after the claim")
                    .contains("written by another server");
            claim.complete(here.cachePort().get(KEY).orElseThrow());
        }
    }

    @Test
    @DisplayName("a lease taken over no entry: only the next read on the claiming thread is answered from the look")
    void lookAnswersOnlyTheNextRead() {
        try (RedisHuddle here = TestRedis.redisOn(prefix).build();
                RedisHuddle other = TestRedis.redisOn(prefix).build()) {
            RedisLoadCoordinator coordinator = here.redisLoadCoordinator();

            Claim claim = coordinator.claim(KEY);
            assertThat(claim.isLeader()).isTrue();
            assertThat(here.cachePort().getLatest(KEY))
                    .as("the recheck after the claim")
                    .isEmpty();
            other.cachePort().put(KEY, entry("written since"), Duration.ofMinutes(5));

            assertThat(valueOf(here.cachePort().get(KEY)))
                    .as("a later read goes to Redis")
                    .contains("written since");
            claim.fail(new IllegalStateException("test over"));
        }
    }

    @Test
    @DisplayName("a write on the claiming thread before its read: the read goes to Redis")
    void writeBeforeTheReadForgetsTheLook() {
        try (RedisHuddle here = TestRedis.redisOn(prefix).build()) {
            RedisLoadCoordinator coordinator = here.redisLoadCoordinator();

            Claim claim = coordinator.claim(KEY);
            assertThat(claim.isLeader()).isTrue();
            here.cachePort().put(KEY, entry("written on this thread"), Duration.ofMinutes(5));

            assertThat(valueOf(here.cachePort().getLatest(KEY))).contains("written on this thread");
            claim.fail(new IllegalStateException("test over"));
        }
    }

    @Test
    @DisplayName("a look is this thread's: another thread's read of the key goes to Redis")
    void lookIsTheClaimingThreads() throws Exception {
        try (RedisHuddle here = TestRedis.redisOn(prefix).build();
                RedisHuddle other = TestRedis.redisOn(prefix).build()) {
            RedisLoadCoordinator coordinator = here.redisLoadCoordinator();
            Claim claim = coordinator.claim(KEY);
            assertThat(claim.isLeader()).isTrue();
            other.cachePort().put(KEY, entry("written since"), Duration.ofMinutes(5));

            AtomicReference<Optional<Object>> read = new AtomicReference<>();
            Thread reader = new Thread(() -> read.set(valueOf(here.cachePort().get(KEY))));
            reader.start();
            reader.join(10_000);

            assertThat(read.get()).contains("written since");
            claim.fail(new IllegalStateException("test over"));
        }
    }

    private static Optional<Object> valueOf(Optional<CacheEntry<?>> entry) {
        return entry.map(CacheEntry::rawValue);
    }

    private static CacheEntry<String> entry(String value) {
        Instant now = Instant.now();
        return CacheEntry.found(value, now, now.plusSeconds(300), now.plusSeconds(360), 1);
    }
}
