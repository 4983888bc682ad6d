package io.huddle.core;

import static io.huddle.core.EngineFixtures.TTL;
import static io.huddle.core.EngineFixtures.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.huddle.core.api.CacheKey;
import io.huddle.core.api.CachePolicy;
import io.huddle.core.api.DataKind;
import io.huddle.core.api.Loaded;
import io.huddle.core.api.Loader;
import io.huddle.core.memory.InMemoryCachePort;
import io.huddle.core.memory.InProcessLoadCoordinator;
import io.huddle.core.spi.CacheEntry;
import io.huddle.core.spi.LoadCoordinator;
import io.huddle.core.spi.UpstreamBudget;
import io.huddle.testkit.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Background refreshes run off the caller's thread, bounded, at background priority")
class BackgroundRefreshTest {
    private final ManualClock clock = new ManualClock();
    private final DataKind<String> kind = EngineFixtures.kind(CachePolicy.builder(TTL)
            .staleWhileRevalidate(Duration.ofMinutes(5))
            .loadTimeout(Duration.ofSeconds(30))
            .build());

    @Test
    @DisplayName("a stale hit returns at once even while the coordinator cannot answer")
    void staleHitNeverBlocks() {
        CountDownLatch coordinatorAnswers = new CountDownLatch(1);
        CountDownLatch claimed = new CountDownLatch(1);
        LoadCoordinator stuck = new LoadCoordinator() {
            private final LoadCoordinator delegate = new InProcessLoadCoordinator();

            @Override
            public Claim claim(CacheKey key) {
                claimed.countDown();
                await(coordinatorAnswers);
                return delegate.claim(key);
            }
        };
        InMemoryCachePort port = new InMemoryCachePort(clock);
        port.put(
                new CacheKey(kind, "k"),
                CacheEntry.found(
                        "old",
                        clock.instant(),
                        clock.instant().plus(TTL),
                        clock.instant().plus(TTL).plus(Duration.ofMinutes(5)),
                        1),
                Duration.ofHours(1));
        clock.advance(TTL.plusSeconds(1));
        try (SharedCache cache =
                SharedCache.builder(port).clock(clock).coordinator(stuck).build()) {
            assertThat(cache.get(kind, "k", id -> Loaded.of("new")))
                    .as("answered although the claim is still waiting")
                    .contains("old");
            await(claimed);
            coordinatorAnswers.countDown();
        }
    }

    @Test
    @DisplayName("when the background executor is full, the refresh is skipped and counted, the stale value served")
    void fullExecutorSkips() {
        InMemoryCachePort port = new InMemoryCachePort(clock);
        try (SharedCache cache = SharedCache.builder(port)
                .clock(clock)
                .loadExecutor(Runnable::run)
                .backgroundExecutor(task -> {
                    throw new RejectedExecutionException("full");
                })
                .build()) {
            cache.get(kind, "k", id -> Loaded.of("old"));
            clock.advance(TTL.plusSeconds(1));

            assertThat(cache.get(kind, "k", id -> Loaded.of("new"))).contains("old");
            assertThat(cache.get(kind, "k", id -> Loaded.of("new"))).contains("old");

            assertThat(cache.stats(kind).refreshesSkipped()).isEqualTo(2);
            assertThat(cache.stats(kind).loads()).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("stale reads of a key while its refresh is queued schedule no second refresh")
    void oneRefreshScheduledPerKey() {
        List<Runnable> queued = new CopyOnWriteArrayList<>();
        InMemoryCachePort port = new InMemoryCachePort(clock);
        try (SharedCache cache = SharedCache.builder(port)
                .clock(clock)
                .loadExecutor(Runnable::run)
                .backgroundExecutor(queued::add)
                .build()) {
            cache.get(kind, "k", id -> Loaded.of("old"));
            clock.advance(TTL.plusSeconds(1));
            for (int i = 0; i < 10; i++) {
                cache.get(kind, "k", id -> Loaded.of("new"));
            }
            assertThat(queued).hasSize(1);
            queued.get(0).run();

            assertThat(cache.get(kind, "k", id -> Loaded.of("unused"))).contains("new");
        }
    }

    @Test
    @DisplayName("loaders see USER priority when a caller waits and BACKGROUND when they refresh")
    void priorities() {
        List<UpstreamBudget.Priority> seen = new CopyOnWriteArrayList<>();
        Loader<String> loader = id -> {
            seen.add(UpstreamBudget.Priority.current());
            return Loaded.of("v");
        };
        try (SharedCache cache = SharedCache.builder(new InMemoryCachePort(clock))
                .clock(clock)
                .loadExecutor(Runnable::run)
                .build()) {
            cache.get(kind, "k", loader);
            clock.advance(TTL.plusSeconds(1));
            cache.get(kind, "k", loader);
        }
        assertThat(seen).containsExactly(UpstreamBudget.Priority.USER, UpstreamBudget.Priority.BACKGROUND);
        assertThat(UpstreamBudget.Priority.current())
                .as("restored after the load")
                .isEqualTo(UpstreamBudget.Priority.USER);
    }
}
