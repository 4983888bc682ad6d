package io.huddle.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.huddle.core.api.BulkLoaded;
import io.huddle.core.api.CacheKey;
import io.huddle.core.api.CachePolicy;
import io.huddle.core.api.DataKind;
import io.huddle.core.api.Loaded;
import io.huddle.core.api.Loader;
import io.huddle.core.memory.InMemoryCachePort;
import io.huddle.core.memory.InProcessInvalidationBus;
import io.huddle.core.memory.InProcessLoadCoordinator;
import io.huddle.core.spi.CacheEntry;
import io.huddle.core.spi.Fence;
import io.huddle.core.spi.Invalidation;
import io.huddle.core.spi.LoadAbandonedException;
import io.huddle.core.spi.LoadCoordinator;
import io.huddle.core.tiered.RemotePort;
import io.huddle.core.tiered.TieredCachePort;
import io.huddle.testkit.ManualClock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("The engine's side of coordination across servers")
class CoordinationSeamsTest {
    private final ManualClock clock = new ManualClock();
    private final DataKind<String> kind = EngineFixtures.kind(CachePolicy.builder(EngineFixtures.TTL)
            .loadTimeout(Duration.ofSeconds(5))
            .build());
    private final AtomicInteger loads = new AtomicInteger();
    private final Loader<String> loader = id -> Loaded.of("v" + loads.incrementAndGet());

    @Nested
    @DisplayName("a load abandoned by its leader")
    class Abandoned {
        private final ScriptedCoordinator coordinator = new ScriptedCoordinator();
        private final RemotePort port = new RemotePort(clock);
        private final SharedCache cache = SharedCache.builder(port)
                .clock(clock)
                .coordinator(coordinator)
                .loadExecutor(Runnable::run)
                .build();

        @AfterEach
        void close() {
            cache.close();
        }

        @Test
        @DisplayName("is claimed again, and the caller that then leads loads it")
        void claimedAgainAndLoaded() {
            coordinator.next.add(ScriptedCoordinator.abandoned());

            assertThat(cache.get(kind, "k", loader)).contains("v1");
            assertThat(loads).hasValue(1);
            assertThat(coordinator.claims).hasValue(2);
            assertThat(cache.stats(kind).misses()).isEqualTo(1);
        }

        @Test
        @DisplayName("is not loaded again when its value reached the backend meanwhile")
        void valueArrivedMeanwhile() {
            coordinator.next.add(ScriptedCoordinator.abandoned());
            coordinator.beforeSecondClaim = () -> port.put(
                    new CacheKey(kind, "k"),
                    CacheEntry.found(
                            "from another server",
                            clock.instant(),
                            clock.instant().plusSeconds(60),
                            clock.instant().plusSeconds(60),
                            3),
                    Duration.ofMinutes(1));

            assertThat(cache.get(kind, "k", loader)).contains("from another server");
            assertThat(loads).hasValue(0);
            assertThat(cache.stats(kind).coalescedWaits()).isEqualTo(1);
            assertThat(cache.stats(kind).upstreamCallsSaved()).isEqualTo(3);
        }

        @Test
        @DisplayName("in getAll, is claimed again for the abandoned id alone")
        void inGetAll() {
            coordinator.next.add(ScriptedCoordinator.abandoned());
            List<Set<String>> asked = new CopyOnWriteArrayList<>();

            Map<String, String> values = cache.getAll(kind, List.of("a"), ids -> {
                asked.add(Set.copyOf(ids));
                return BulkLoaded.of(Map.of("a", "A"), 1);
            });

            assertThat(values).containsEntry("a", "A");
            assertThat(asked).containsExactly(Set.of("a"));
        }

        @Test
        @DisplayName("in getAll, the abandoned ids are claimed again together and loaded in one call")
        void manyAbandonedInGetAll() {
            List<String> ids = List.of("a", "b", "c", "d", "e");
            ids.forEach(id -> coordinator.next.add(ScriptedCoordinator.abandoned()));
            List<Set<String>> asked = new CopyOnWriteArrayList<>();

            Map<String, String> values = cache.getAll(kind, ids, wanted -> {
                asked.add(Set.copyOf(wanted));
                Map<String, String> loaded = new java.util.HashMap<>();
                wanted.forEach(id -> loaded.put(id, id.toUpperCase(java.util.Locale.ROOT)));
                return BulkLoaded.of(loaded, 1);
            });

            assertThat(values).containsOnlyKeys(ids);
            assertThat(asked).containsExactly(Set.copyOf(ids));
            assertThat(cache.stats(kind).misses()).isEqualTo(ids.size());
        }
    }

    @Nested
    @DisplayName("a leader holding a lease")
    class Fenced {
        private final ScriptedCoordinator coordinator = new ScriptedCoordinator();
        private final RemotePort port = new RemotePort(clock);
        private final InProcessInvalidationBus bus = new InProcessInvalidationBus();
        private final List<Invalidation> heard = new CopyOnWriteArrayList<>();
        private final SharedCache cache = SharedCache.builder(port)
                .clock(clock)
                .coordinator(coordinator)
                .invalidationBus(bus)
                .loadExecutor(Runnable::run)
                .build();

        @AfterEach
        void close() {
            cache.close();
        }

        @Test
        @DisplayName("writes with its fence, and announces the write to the other servers")
        void writesFenced() {
            bus.subscribe(heard::add);
            coordinator.fence = new Fence("token-1");

            assertThat(cache.get(kind, "k", loader)).contains("v1");

            assertThat(port.fences).containsExactly(new Fence("token-1"));
            assertThat(port.get(new CacheKey(kind, "k"))).isPresent();
            assertThat(heard).extracting(Invalidation::id).containsExactly(Optional.of("k"));
        }

        @Test
        @DisplayName("whose fence no longer holds stores nothing and announces nothing, but answers its caller")
        void fencedOut() {
            bus.subscribe(heard::add);
            coordinator.fence = new Fence("token-1");
            port.fenceHolds = false;

            assertThat(cache.get(kind, "k", loader)).contains("v1");

            assertThat(port.get(new CacheKey(kind, "k"))).isEmpty();
            assertThat(heard).isEmpty();
        }
    }

    @Nested
    @DisplayName("other servers' news")
    class News {
        private final InProcessInvalidationBus bus = new InProcessInvalidationBus();
        private final RemotePort shared = new RemotePort(clock);
        private final InMemoryCachePort localA = new InMemoryCachePort(clock);
        private final InMemoryCachePort localB = new InMemoryCachePort(clock);
        private final SharedCache serverA = engine(localA);
        private final SharedCache serverB = engine(localB);

        private SharedCache engine(InMemoryCachePort local) {
            return SharedCache.builder(
                            TieredCachePort.builder(local, shared).clock(clock).build())
                    .clock(clock)
                    .invalidationBus(bus)
                    .loadExecutor(Runnable::run)
                    .build();
        }

        @AfterEach
        void close() {
            serverA.close();
            serverB.close();
        }

        @Test
        @DisplayName("a value written by one server drops the others' local copy, so they read the new one")
        void writeDropsLocalCopies() {
            assertThat(serverA.get(kind, "k", loader)).contains("v1");
            assertThat(serverB.get(kind, "k", loader)).contains("v1");
            assertThat(localB.get(new CacheKey(kind, "k")))
                    .as("B keeps a local copy")
                    .isPresent();

            serverA.putAll(kind, Map.of("k", "v2"), 1);

            assertThat(localB.get(new CacheKey(kind, "k"))).isEmpty();
            assertThat(serverB.get(kind, "k", loader)).contains("v2");
            assertThat(loads).hasValue(1);
        }

        @Test
        @DisplayName("an invalidation on one server empties only the others' local tier, not the shared one again")
        void invalidationForgetsLocally() {
            serverA.get(kind, "k", loader);
            serverB.get(kind, "k", loader);
            shared.invalidations.set(0);

            serverA.invalidate(kind, "k");

            assertThat(localB.get(new CacheKey(kind, "k"))).isEmpty();
            assertThat(shared.invalidations)
                    .as("only server A removed it from the shared tier")
                    .hasValue(1);
        }

        @Test
        @DisplayName(
                "'anything may have changed' (lost messages) keeps every local copy, unverified: the next read checks the shared tier")
        void everything() {
            serverB.get(kind, "a", loader);
            serverB.get(kind, "b", loader);
            int sharedReads = shared.gets.get();

            bus.publish(Invalidation.everything("the bus"));

            assertThat(localB.statistics().entries())
                    .as("the local copies stay, as the fallback")
                    .isEqualTo(2);
            assertThat(serverB.get(kind, "a", loader)).contains("v1");
            assertThat(shared.gets.get())
                    .as("the distrusted copy was checked against the shared tier")
                    .isEqualTo(sharedReads + 1);
            assertThat(loads).as("and found there, so nothing was loaded").hasValue(2);
        }
    }

    @Test
    @DisplayName("an invalidation of one id must name its kind")
    void invalidationShape() {
        assertThatThrownBy(() -> new Invalidation("o", Optional.empty(), Optional.of("id")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(Invalidation.everything("o").isEverything()).isTrue();
        assertThat(Invalidation.ofKind("o", kind).isEverything()).isFalse();
    }

    /** Hands out the scripted claims first, then in-process ones (with the given fence, if any). */
    static final class ScriptedCoordinator implements LoadCoordinator {
        final Deque<Claim> next = new ArrayDeque<>();
        final AtomicInteger claims = new AtomicInteger();
        final InProcessLoadCoordinator local = new InProcessLoadCoordinator();
        volatile Fence fence;
        volatile Runnable beforeSecondClaim = () -> {};

        static Claim abandoned() {
            CompletableFuture<CacheEntry<?>> outcome = new CompletableFuture<>();
            return new Claim() {
                @Override
                public boolean isLeader() {
                    outcome.completeExceptionally(new LoadAbandonedException(
                            new CacheKey(
                                    DataKind.of("any", String.class, CachePolicy.ofTtl(Duration.ofMinutes(1))), "k"),
                            "it died"));
                    return false;
                }

                @Override
                public CompletableFuture<CacheEntry<?>> outcome() {
                    return outcome;
                }

                @Override
                public void complete(CacheEntry<?> entry) {
                    throw new IllegalStateException("a follower");
                }

                @Override
                public void fail(Throwable failure) {
                    throw new IllegalStateException("a follower");
                }
            };
        }

        @Override
        public synchronized Claim claim(CacheKey key) {
            if (claims.incrementAndGet() == 2) {
                beforeSecondClaim.run();
            }
            Claim scripted = next.poll();
            if (scripted != null) {
                return scripted;
            }
            Claim claim = local.claim(key);
            Fence leaseFence = fence;
            if (leaseFence == null || !claim.isLeader()) {
                return claim;
            }
            return new Claim() {
                @Override
                public boolean isLeader() {
                    return true;
                }

                @Override
                public CompletableFuture<CacheEntry<?>> outcome() {
                    return claim.outcome();
                }

                @Override
                public Optional<Fence> fence() {
                    return Optional.of(leaseFence);
                }

                @Override
                public void complete(CacheEntry<?> entry) {
                    claim.complete(entry);
                }

                @Override
                public void fail(Throwable failure) {
                    claim.fail(failure);
                }
            };
        }
    }
}
