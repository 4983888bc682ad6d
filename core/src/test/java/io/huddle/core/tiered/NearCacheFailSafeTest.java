package io.huddle.core.tiered;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.huddle.core.SharedCache;
import io.huddle.core.api.CacheKey;
import io.huddle.core.api.CachePolicy;
import io.huddle.core.api.DataKind;
import io.huddle.core.api.Loaded;
import io.huddle.core.memory.InMemoryCachePort;
import io.huddle.core.spi.CacheBackendException;
import io.huddle.core.spi.CacheEntry;
import io.huddle.testkit.Eventually;
import io.huddle.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("The near cache's local copies are a fail-safe: kept unverified, served through outages, written back")
class NearCacheFailSafeTest {
    private static final DataKind<String> WORDS =
            DataKind.of("words", String.class, CachePolicy.ofTtl(Duration.ofMinutes(5)));
    private static final Duration LOCAL_TTL = Duration.ofSeconds(10);
    private static final Duration KEEP_FOR = Duration.ofMinutes(10);

    private final ManualClock clock = new ManualClock();
    private final InMemoryCachePort local = new InMemoryCachePort(clock);
    private final RemotePort remote = new RemotePort(clock);
    private final TieredCachePort tiered = TieredCachePort.builder(local, remote)
            .localTtl(LOCAL_TTL)
            .remoteRetryInterval(Duration.ZERO)
            .clock(clock)
            .build();
    private final CacheKey key = new CacheKey(WORDS, "15");
    private final CacheKey other = new CacheKey(WORDS, "16");

    @AfterEach
    void close() {
        tiered.close();
    }

    private CacheEntry<String> entry(String value) {
        Instant now = clock.instant();
        return CacheEntry.found(value, now, now.plus(Duration.ofMinutes(5)), now.plus(KEEP_FOR), 1);
    }

    @Nested
    @DisplayName("after lost messages")
    class Distrusted {
        @Test
        @DisplayName("every copy stays but is never fresh again until read from the remote tier")
        void unverifiedUntilRead() {
            tiered.put(key, entry("v1"), KEEP_FOR);
            tiered.distrustLocal(List.of(WORDS));
            int reads = remote.gets.get();

            assertThat(tiered.get(key).orElseThrow().isVerified()).isTrue();
            assertThat(remote.gets).as("checked against the remote tier").hasValue(reads + 1);
            assertThat(tiered.get(key).orElseThrow().isVerified()).isTrue();
            assertThat(remote.gets)
                    .as("verified again, the next read stays local")
                    .hasValue(reads + 1);
        }

        @Test
        @DisplayName("a copy the remote tier no longer has is returned unverified: a fallback, never fresh")
        void remoteLacksIt() {
            tiered.put(key, entry("v1"), KEEP_FOR);
            tiered.distrustLocal(List.of(WORDS));
            remote.invalidate(key);

            CacheEntry<?> answer = tiered.get(key).orElseThrow();

            assertThat(answer.isVerified()).isFalse();
            assertThat(answer.isFreshAt(clock.instant())).isFalse();
            assertThat(valueOf(Optional.of(answer))).contains("v1");
        }
    }

    @Nested
    @DisplayName("while the remote tier is unreachable")
    class Unreachable {
        @Test
        @DisplayName("a copy verified within the local ttl is answered as it is, an older one unverified")
        void answersFromLocal() {
            tiered.put(key, entry("recent"), KEEP_FOR);
            tiered.put(other, entry("older"), KEEP_FOR);
            clock.advance(LOCAL_TTL);
            tiered.put(key, entry("recent"), KEEP_FOR);
            remote.down = true;

            assertThat(tiered.get(key).orElseThrow().isVerified()).isTrue();
            assertThat(tiered.get(other).orElseThrow().isVerified()).isFalse();
            assertThat(tiered.getAll(List.of(key, other)))
                    .hasEntrySatisfying(
                            key, entry -> assertThat(entry.isVerified()).isTrue())
                    .hasEntrySatisfying(
                            other, entry -> assertThat(entry.isVerified()).isFalse());
            assertThatThrownBy(() -> tiered.get(new CacheKey(WORDS, "never-held")))
                    .isInstanceOf(CacheBackendException.class);
        }

        @Test
        @DisplayName("after a failure the remote tier rests, and reads answer from the local tier without trying it")
        void restsAfterFailure() {
            TieredCachePort resting = TieredCachePort.builder(new InMemoryCachePort(clock), remote)
                    .localTtl(LOCAL_TTL)
                    .remoteRetryInterval(Duration.ofHours(1))
                    .clock(clock)
                    .build();
            resting.put(key, entry("v1"), KEEP_FOR);
            clock.advance(LOCAL_TTL);
            remote.down = true;
            assertThat(resting.get(key)).isPresent();
            remote.down = false;
            int reads = remote.gets.get();

            for (int i = 0; i < 10; i++) {
                assertThat(valueOf(resting.get(key))).contains("v1");
            }
            assertThat(remote.gets).as("no call while resting").hasValue(reads);
        }

        @Test
        @DisplayName("an invalidation that could not reach it is replayed once it answers again")
        void invalidationReplayed() {
            tiered.put(key, entry("v1"), KEEP_FOR);
            remote.down = true;
            assertThatThrownBy(() -> tiered.invalidate(key)).isInstanceOf(CacheBackendException.class);
            assertThat(local.get(key)).as("dropped locally at once").isEmpty();
            remote.down = false;
            assertThat(remote.get(key)).as("still in the remote tier").isPresent();

            tiered.get(other);

            assertThat(remote.get(key))
                    .as("replayed with the next call that reached it")
                    .isEmpty();
        }
    }

    @Nested
    @DisplayName("when the remote tier comes back without its entries")
    class WrittenBack {
        @Test
        @DisplayName("every local copy is written back with its own instants, never over a newer entry")
        void writesBack() {
            CacheEntry<String> held = entry("held");
            tiered.put(key, held, KEEP_FOR);
            tiered.put(other, entry("older"), KEEP_FOR);
            remote.down = true;
            clock.advance(Duration.ofSeconds(1));

            remote.comeBack(true);
            CacheEntry<String> newer = entry("newer");
            remote.put(other, newer, KEEP_FOR);
            Eventually.await(
                    "one write-back round put the held copy back",
                    Duration.ofSeconds(10),
                    () -> tiered.writeBackStatistics().rounds() == 1
                            && remote.get(key).isPresent());
            Eventually.await(
                    "both keys were written back or refused as older",
                    Duration.ofSeconds(10),
                    () -> tiered.writeBackStatistics().written()
                                    + tiered.writeBackStatistics().refusedAsOlder()
                            >= 2);

            assertThat(remote.get(key)).contains(held);
            assertThat(remote.get(other)).as("the newer entry stands").contains(newer);
        }

        @Test
        @DisplayName("an invalidation made during the outage is not undone by the write-back")
        void invalidatedStaysGone() {
            tiered.put(key, entry("v1"), KEEP_FOR);
            tiered.put(other, entry("kept"), KEEP_FOR);
            remote.down = true;
            assertThatThrownBy(() -> tiered.invalidate(key)).isInstanceOf(CacheBackendException.class);

            remote.comeBack(true);
            Eventually.await(
                    "the other key was written back",
                    Duration.ofSeconds(10),
                    () -> remote.get(other).isPresent());

            assertThat(remote.get(key)).isEmpty();
            assertThat(tiered.get(key)).isEmpty();
        }

        @Test
        @DisplayName("a store that kept its entries gets nothing written back")
        void keptEntries() {
            tiered.put(key, entry("v1"), KEEP_FOR);
            remote.down = true;
            remote.comeBack(false);

            assertThat(tiered.writeBackStatistics().rounds()).isZero();
        }
    }

    @Test
    @DisplayName("an engine over a near cache serves an unverified copy only when the load fails")
    void engineServesUnverifiedOnlyAsFallback() {
        DataKind<String> kind = DataKind.of(
                "words",
                String.class,
                CachePolicy.builder(Duration.ofMinutes(5))
                        .staleWhileRevalidate(Duration.ofMinutes(1))
                        .staleIfError(Duration.ofHours(1))
                        .build());
        try (SharedCache cache = SharedCache.builder(tiered)
                .clock(clock)
                .loadExecutor(Runnable::run)
                .build()) {
            cache.get(kind, "15", id -> Loaded.of("held"));
            tiered.distrustLocal(List.of(kind));
            remote.down = true;
            clock.advance(LOCAL_TTL);

            assertThat(cache.get(kind, "15", id -> Loaded.of("loaded")))
                    .as("an unverified copy is not served fresh: the upstream is asked")
                    .contains("loaded");
            tiered.distrustLocal(List.of(kind));
            clock.advance(LOCAL_TTL);
            assertThat(cache.get(kind, "15", id -> {
                        throw new IllegalStateException("upstream down too");
                    }))
                    .as("neither tier nor upstream answers: the copy is the fallback")
                    .contains("loaded");
            assertThat(cache.stats(kind).staleServed()).isEqualTo(1);
        }
    }

    private static Optional<Object> valueOf(Optional<CacheEntry<?>> entry) {
        return entry.flatMap(e -> e.value().map(Object.class::cast));
    }
}
