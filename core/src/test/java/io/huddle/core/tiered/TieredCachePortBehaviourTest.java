package io.huddle.core.tiered;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.huddle.core.EngineFixtures;
import io.huddle.core.api.CacheKey;
import io.huddle.core.api.CachePolicy;
import io.huddle.core.api.DataKind;
import io.huddle.core.memory.InMemoryCachePort;
import io.huddle.core.spi.CacheBackendException;
import io.huddle.core.spi.CacheEntry;
import io.huddle.core.spi.CachePort;
import io.huddle.core.spi.Fence;
import io.huddle.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("The tiered port answers from its local tier and keeps it true")
class TieredCachePortBehaviourTest {
    private static final DataKind<String> WORDS =
            DataKind.of("words", String.class, CachePolicy.ofTtl(Duration.ofMinutes(5)));
    private static final DataKind<String> NAMES =
            DataKind.of("names", String.class, CachePolicy.ofTtl(Duration.ofMinutes(5)));
    private static final Duration LOCAL_TTL = Duration.ofSeconds(10);
    private static final Duration KEEP_FOR = Duration.ofMinutes(10);

    private final ManualClock clock = new ManualClock();
    private final InMemoryCachePort local = new InMemoryCachePort(clock);
    private final RemotePort remote = new RemotePort(clock);
    private final TieredCachePort tiered = TieredCachePort.builder(local, remote)
            .localTtl(LOCAL_TTL)
            .clock(clock)
            .build();

    private final CacheKey key = new CacheKey(WORDS, "15");

    @AfterEach
    void close() {
        tiered.close();
    }

    private CacheEntry<String> entry(String value) {
        Instant now = clock.instant();
        return CacheEntry.found(value, now, now.plus(Duration.ofMinutes(5)), now.plus(KEEP_FOR), 1);
    }

    private static Object valueOf(Optional<CacheEntry<?>> entry) {
        return entry.orElseThrow().value().orElseThrow();
    }

    @Nested
    @DisplayName("reading")
    class Reading {
        @Test
        @DisplayName("a local hit does not call the remote tier")
        void localHitStaysLocal() {
            tiered.put(key, entry("Patrick Mahomes"), KEEP_FOR);
            remote.gets.set(0);

            assertThat(valueOf(tiered.get(key))).isEqualTo("Patrick Mahomes");
            assertThat(tiered.getAll(List.of(key))).containsOnlyKeys(key);

            assertThat(remote.gets).as("remote reads").hasValue(0);
        }

        @Test
        @DisplayName(
                "a local copy past its freshness is read again from the remote tier, where another server refreshed it")
        void staleLocalCopyChecksRemote() {
            Instant now = clock.instant();
            tiered.put(key, CacheEntry.found("old", now, now.plusSeconds(5), now.plus(KEEP_FOR), 1), KEEP_FOR);
            clock.advance(Duration.ofSeconds(6));
            Instant later = clock.instant();
            remote.put(key, CacheEntry.found("new", later, later.plusSeconds(5), later.plus(KEEP_FOR), 1), KEEP_FOR);

            assertThat(valueOf(tiered.get(key))).isEqualTo("new");
            assertThat(valueOf(Optional.of(tiered.getAll(List.of(key)).get(key))))
                    .isEqualTo("new");
            assertThat(valueOf(local.get(key))).as("kept locally").isEqualTo("new");
        }

        @Test
        @DisplayName(
                "a local copy past its freshness is still returned when the remote tier has nothing, to be served stale")
        void staleLocalCopyKeptForStaleServing() {
            Instant now = clock.instant();
            tiered.put(key, CacheEntry.found("old", now, now.plusSeconds(5), now.plus(KEEP_FOR), 1), KEEP_FOR);
            remote.invalidate(key);
            clock.advance(Duration.ofSeconds(6));

            assertThat(valueOf(tiered.get(key))).isEqualTo("old");
            assertThat(valueOf(Optional.of(tiered.getAll(List.of(key)).get(key))))
                    .isEqualTo("old");
        }

        @Test
        @DisplayName("a local miss reads the remote tier and keeps the copy locally")
        void localMissPopulatesLocal() {
            remote.put(key, entry("Josh Allen"), KEEP_FOR);

            assertThat(valueOf(tiered.get(key))).isEqualTo("Josh Allen");
            assertThat(remote.gets).hasValue(1);
            assertThat(valueOf(local.get(key))).isEqualTo("Josh Allen");

            tiered.get(key);
            assertThat(remote.gets).as("the second read is local").hasValue(1);
        }

        @Test
        @DisplayName("get many reads only the local misses from the remote tier and keeps them locally")
        void getAllReadsOnlyMisses() {
            CacheKey near = new CacheKey(WORDS, "near");
            CacheKey far = new CacheKey(WORDS, "far");
            CacheKey nowhere = new CacheKey(WORDS, "nowhere");
            tiered.put(near, entry("near"), KEEP_FOR);
            remote.put(far, entry("far"), KEEP_FOR);

            Map<CacheKey, CacheEntry<?>> found = tiered.getAll(List.of(near, far, nowhere));

            assertThat(found).containsOnlyKeys(near, far);
            assertThat(remote.requested).containsExactly(far, nowhere);
            assertThat(local.get(far)).isPresent();
        }

        @Test
        @DisplayName("a local copy lives at most the local ttl, then the remote tier is read again")
        void localCopyLivesAtMostLocalTtl() {
            remote.put(key, entry("v1"), KEEP_FOR);
            tiered.get(key);
            remote.put(key, entry("v2"), KEEP_FOR);

            clock.advance(LOCAL_TTL.minusMillis(1));
            assertThat(valueOf(tiered.get(key))).as("just before the local ttl").isEqualTo("v1");

            clock.advance(Duration.ofMillis(1));
            assertThat(valueOf(tiered.get(key))).as("at the local ttl").isEqualTo("v2");
            assertThat(remote.gets).hasValue(2);
        }

        @Test
        @DisplayName("a remote entry with less time left than the local ttl is kept locally only that long")
        void shortRemoteEntryKeptLocallyNoLonger() {
            Instant now = clock.instant();
            CacheEntry<String> shortLived = CacheEntry.found("short", now, now.plusSeconds(2), now.plusSeconds(3), 1);
            remote.put(key, shortLived, Duration.ofSeconds(3));
            tiered.get(key);

            clock.advance(Duration.ofSeconds(3));

            assertThat(local.get(key)).isEmpty();
        }

        @Test
        @DisplayName("a remote read that overlaps an invalidation keeps nothing locally")
        void readOverlappingInvalidationKeepsNothing() {
            remote.put(key, entry("old"), KEEP_FOR);
            remote.duringGet = () -> tiered.forgetLocal(key);

            assertThat(valueOf(tiered.get(key))).isEqualTo("old");

            assertThat(local.get(key)).isEmpty();
        }

        @Nested
        @DisplayName("while a remote read of the key is under way")
        class ReadUnderWay {
            private final CountDownLatch release = new CountDownLatch(1);
            private final AtomicInteger reads = new AtomicInteger();
            private final ExecutorService threads = Executors.newFixedThreadPool(2);

            /** Starts a get on another thread whose remote read waits for {@link #release}. */
            private Future<Optional<CacheEntry<?>>> firstReadHeld() throws Exception {
                remote.put(key, entry("shared"), KEEP_FOR);
                remote.duringGet = () -> {
                    if (reads.incrementAndGet() == 1) {
                        EngineFixtures.await(release);
                    }
                };
                Future<Optional<CacheEntry<?>>> first = threads.submit(() -> tiered.get(key));
                while (reads.get() == 0) {
                    Thread.onSpinWait();
                }
                return first;
            }

            @AfterEach
            void stop() {
                release.countDown();
                threads.shutdownNow();
            }

            @Test
            @DisplayName("another get of the key joins it: one round trip for both")
            void joined() throws Exception {
                Future<Optional<CacheEntry<?>>> first = firstReadHeld();
                Thread[] joiner = new Thread[1];
                Future<Optional<CacheEntry<?>>> second = threads.submit(() -> {
                    joiner[0] = Thread.currentThread();
                    return tiered.get(key);
                });
                while (joiner[0] == null || joiner[0].getState() != Thread.State.WAITING) {
                    Thread.onSpinWait();
                }

                release.countDown();

                assertThat(valueOf(first.get(10, TimeUnit.SECONDS))).isEqualTo("shared");
                assertThat(valueOf(second.get(10, TimeUnit.SECONDS))).isEqualTo("shared");
                assertThat(remote.gets).as("remote reads").hasValue(1);
            }

            @Test
            @DisplayName("a get after an invalidation does not join it: its answer could be older than the question")
            void notJoinedAfterInvalidation() throws Exception {
                Future<Optional<CacheEntry<?>>> first = firstReadHeld();
                tiered.forgetLocal(key);

                assertThat(valueOf(tiered.get(key))).isEqualTo("shared");
                assertThat(remote.gets).hasValue(2);
                release.countDown();
                assertThat(first.get(10, TimeUnit.SECONDS)).isPresent();
            }

            @Test
            @DisplayName("getLatest never joins it, and skips a local copy")
            void latestReadsAfresh() throws Exception {
                Future<Optional<CacheEntry<?>>> first = firstReadHeld();

                assertThat(valueOf(tiered.getLatest(key))).isEqualTo("shared");
                assertThat(remote.gets).hasValue(2);
                assertThat(valueOf(tiered.getLatest(key)))
                        .as("with a local copy now")
                        .isEqualTo("shared");
                assertThat(remote.gets).hasValue(3);
                release.countDown();
                assertThat(first.get(10, TimeUnit.SECONDS)).isPresent();
            }
        }

        @Test
        @DisplayName("a read made while an invalidation is on its way to the remote tier keeps nothing afterwards")
        void readDuringRemoteInvalidation() {
            remote.put(key, entry("old"), KEEP_FOR);
            Optional<CacheEntry<?>>[] readMeanwhile = new Optional[1];
            remote.beforeInvalidate = () -> readMeanwhile[0] = tiered.get(key);

            tiered.invalidate(key);

            assertThat(valueOf(readMeanwhile[0]))
                    .as("the remote tier still had it")
                    .isEqualTo("old");
            assertThat(local.get(key))
                    .as("no local copy outlives the invalidation")
                    .isEmpty();
            assertThat(tiered.get(key)).isEmpty();
        }

        @Test
        @DisplayName("a get many that overlaps an invalidation keeps nothing locally")
        void getAllOverlappingInvalidationKeepsNothing() {
            remote.put(key, entry("old"), KEEP_FOR);
            remote.duringGet = () -> tiered.forgetLocal(WORDS);

            assertThat(tiered.getAll(List.of(key))).containsOnlyKeys(key);

            assertThat(local.get(key)).isEmpty();
        }
    }

    @Nested
    @DisplayName("writing and invalidating")
    class Writing {
        @Test
        @DisplayName("a put goes to both tiers; past the local ttl the local copy is checked against the remote one")
        void putGoesToBoth() {
            tiered.put(key, entry("v"), KEEP_FOR);

            assertThat(valueOf(remote.get(key))).isEqualTo("v");
            assertThat(valueOf(local.get(key))).isEqualTo("v");
            int remoteReads = remote.gets.get();
            clock.advance(LOCAL_TTL);
            assertThat(local.get(key))
                    .as("kept past the local ttl, as a fallback")
                    .isPresent();
            assertThat(valueOf(tiered.get(key))).isEqualTo("v");
            assertThat(remote.gets).as("but checked against the remote tier").hasValue(remoteReads + 1);
        }

        @Test
        @DisplayName("a remote failure on put keeps the local copy and throws the backend error")
        void remoteFailureKeepsLocal() {
            remote.failWrites = true;

            assertThatThrownBy(() -> tiered.put(key, entry("v"), KEEP_FOR)).isInstanceOf(CacheBackendException.class);

            assertThat(valueOf(local.get(key))).isEqualTo("v");
        }

        @Test
        @DisplayName("a fenced put the remote tier accepts is kept in both tiers")
        void fencedPutAccepted() {
            assertThat(tiered.putFenced(key, entry("v"), KEEP_FOR, new Fence("t")))
                    .isTrue();

            assertThat(valueOf(local.get(key))).isEqualTo("v");
            assertThat(valueOf(remote.get(key))).isEqualTo("v");
        }

        @Test
        @DisplayName("a fenced put the remote tier refuses drops the local copy")
        void fencedPutRefusedDropsLocal() {
            tiered.put(key, entry("old"), KEEP_FOR);
            remote.fenceHolds = false;

            assertThat(tiered.putFenced(key, entry("new"), KEEP_FOR, new Fence("t")))
                    .isFalse();

            assertThat(local.get(key)).isEmpty();
            assertThat(valueOf(remote.get(key))).isEqualTo("old");
        }

        @Test
        @DisplayName("invalidating a key or a kind removes it from both tiers")
        void invalidateBoth() {
            CacheKey name = new CacheKey(NAMES, "15");
            tiered.put(key, entry("v"), KEEP_FOR);
            tiered.put(name, entry("n"), KEEP_FOR);

            tiered.invalidate(key);
            assertThat(local.get(key)).isEmpty();
            assertThat(remote.get(key)).isEmpty();

            tiered.invalidateKind(NAMES);
            assertThat(local.get(name)).isEmpty();
            assertThat(remote.get(name)).isEmpty();
        }

        @Test
        @DisplayName("forgetting a key or a kind drops the local copies only")
        void forgetLocalDropsLocalOnly() {
            CacheKey name = new CacheKey(NAMES, "15");
            tiered.put(key, entry("v"), KEEP_FOR);
            tiered.put(name, entry("n"), KEEP_FOR);

            tiered.forgetLocal(key);
            tiered.forgetLocal(NAMES);

            assertThat(local.get(key)).isEmpty();
            assertThat(local.get(name)).isEmpty();
            assertThat(remote.get(key)).isPresent();
            assertThat(remote.get(name)).isPresent();
            assertThat(valueOf(tiered.get(key)))
                    .as("read again from the remote tier")
                    .isEqualTo("v");
        }
    }

    @Nested
    @DisplayName("what it says about itself")
    class Description {
        @Test
        @DisplayName("it claims the remote tier's sharing, never that a hit is the stored object")
        void capabilities() {
            remote.capabilities =
                    Set.of(CachePort.Capability.SHARED_ACROSS_PROCESSES, CachePort.Capability.STORES_OBJECTS);

            assertThat(tiered.capabilities())
                    .as("its local tier enumerates")
                    .containsExactlyInAnyOrder(
                            CachePort.Capability.SHARED_ACROSS_PROCESSES, CachePort.Capability.ENUMERATES_ENTRIES);
            assertThat(tiered.name()).isEqualTo("in-memory+remote");
        }

        @Test
        @DisplayName("it enumerates the remote tier's entries when the remote tier enumerates, else its local copies")
        void enumerates() {
            CacheKey onlyRemote = new CacheKey(WORDS, "written by another server");
            tiered.put(key, entry("both tiers"), KEEP_FOR);
            remote.put(onlyRemote, entry("remote only"), KEEP_FOR);
            java.util.Map<CacheKey, CacheEntry<?>> seen = new java.util.HashMap<>();

            tiered.forEachEntry(java.util.List.of(WORDS), seen::put);
            assertThat(seen).as("the remote tier does not enumerate").containsOnlyKeys(key);

            remote.capabilities =
                    Set.of(CachePort.Capability.SHARED_ACROSS_PROCESSES, CachePort.Capability.ENUMERATES_ENTRIES);
            seen.clear();
            tiered.forEachEntry(seen::put);
            assertThat(seen).containsOnlyKeys(key, onlyRemote);
        }

        @Test
        @DisplayName("the builder rejects one port as both tiers, and a local ttl that is not positive")
        void builderRejectsBadSettings() {
            assertThatThrownBy(() -> TieredCachePort.builder(local, local))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("two ports");
            TieredCachePort.Builder builder = TieredCachePort.builder(local, remote);
            assertThatThrownBy(() -> builder.localTtl(Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("localTtl");
            assertThatThrownBy(() -> builder.localTtl(Duration.ofSeconds(-1)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("localTtl");
        }
    }
}
