package io.huddle.core;

import static io.huddle.core.EngineFixtures.TTL;
import static io.huddle.core.EngineFixtures.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.huddle.core.api.AheadResult;
import io.huddle.core.api.CacheKey;
import io.huddle.core.api.CachePolicy;
import io.huddle.core.api.CacheStatistics;
import io.huddle.core.api.DataKind;
import io.huddle.core.api.Loaded;
import io.huddle.core.api.Loader;
import io.huddle.core.memory.InMemoryCachePort;
import io.huddle.core.memory.InProcessLoadCoordinator;
import io.huddle.core.spi.LoadCoordinator;
import io.huddle.core.spi.PermitRefusedException;
import io.huddle.core.spi.UpstreamBudget.Priority;
import io.huddle.testkit.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Warming and prefetch load keys ahead of users, in the background, counted")
class LoadAheadTest {
    private final ManualClock clock = new ManualClock();
    private final DataKind<String> kind = EngineFixtures.kind(CachePolicy.builder(TTL)
            .staleIfError(Duration.ofMinutes(10))
            .loadTimeout(Duration.ofSeconds(30))
            .build());
    private final List<Priority> priorities = new CopyOnWriteArrayList<>();
    private final Loader<String> loader = id -> {
        priorities.add(Priority.current());
        return Loaded.of("v-" + id);
    };

    private SharedCache cache(DataKind<?> kind, java.util.concurrent.Executor background) {
        return SharedCache.builder(new InMemoryCachePort(clock))
                .clock(clock)
                .backgroundExecutor(background)
                .build();
    }

    @Test
    @DisplayName("warming an absent key loads it at background priority, and the user then hits")
    void warmingLoadsAtBackgroundPriority() {
        try (SharedCache cache = cache(kind, Runnable::run)) {
            assertThat(cache.warm(kind, "k", 0.2, loader)).isEqualTo(AheadResult.STARTED);
            assertThat(priorities).containsExactly(Priority.BACKGROUND);
            assertThat(cache.get(kind, "k", loader)).contains("v-k");
            CacheStatistics stats = cache.stats(kind);
            assertThat(stats.warmLoads()).isEqualTo(1);
            assertThat(stats.hits()).isEqualTo(1);
            assertThat(stats.misses()).isZero();
        }
    }

    @Test
    @DisplayName("warming refreshes an entry once its time left is within the margin, not before")
    void warmingRefreshesAhead() {
        try (SharedCache cache = cache(kind, Runnable::run)) {
            cache.warm(kind, "k", 0.2, loader);
            clock.advance(TTL.multipliedBy(7).dividedBy(10));
            assertThat(cache.warm(kind, "k", 0.2, loader)).isEqualTo(AheadResult.FRESH);
            clock.advance(TTL.dividedBy(5));
            assertThat(cache.warm(kind, "k", 0.2, loader)).isEqualTo(AheadResult.STARTED);
            assertThat(priorities).hasSize(2);
            clock.advance(TTL.dividedBy(5));
            assertThat(cache.get(kind, "k", loader))
                    .as("still fresh past the first ttl")
                    .contains("v-k");
            assertThat(cache.stats(kind).misses()).isZero();
        }
    }

    @Test
    @DisplayName("a kind whose policy switches warming and prefetch off loads nothing ahead, and counts it")
    void switchedOff() {
        DataKind<String> off = DataKind.of(
                "quiet",
                String.class,
                CachePolicy.builder(TTL).warming(false).prefetching(false).build());
        try (SharedCache cache = cache(off, Runnable::run)) {
            assertThat(cache.warm(off, "k", 0.2, loader)).isEqualTo(AheadResult.SWITCHED_OFF);
            assertThat(cache.prefetch(off, "k", loader)).isEqualTo(AheadResult.SWITCHED_OFF);
            assertThat(priorities).isEmpty();
            assertThat(cache.stats(off).aheadSwitchedOff()).isEqualTo(2);
        }
    }

    @Test
    @DisplayName("a full background executor skips the load ahead and counts it")
    void fullExecutor() {
        try (SharedCache cache = cache(kind, task -> {
            throw new RejectedExecutionException("full");
        })) {
            assertThat(cache.prefetch(kind, "k", loader)).isEqualTo(AheadResult.SKIPPED_FULL);
            assertThat(cache.warm(kind, "k", 0.2, loader)).isEqualTo(AheadResult.SKIPPED_FULL);
            CacheStatistics stats = cache.stats(kind);
            assertThat(stats.aheadSkippedFull()).isEqualTo(2);
            assertThat(stats.prefetchesStarted()).isZero();
            assertThat(stats.prefetchesUnused())
                    .as("a prefetch never started is not unused")
                    .isZero();
        }
    }

    @Test
    @DisplayName("a prefetched key a user then asks for counts used; one nobody asks for counts unused")
    void usedAndUnused() {
        try (SharedCache cache = cache(kind, Runnable::run)) {
            cache.prefetch(kind, "asked", loader);
            cache.prefetch(kind, "ignored", loader);
            assertThat(cache.prefetch(kind, "asked", loader)).isEqualTo(AheadResult.FRESH);
            cache.get(kind, "asked", loader);
            cache.get(kind, "asked", loader);
            clock.advance(TTL.plusSeconds(1));
            // the next prefetch of the kind looks at the old ones
            cache.prefetch(kind, "later", loader);
            CacheStatistics stats = cache.stats(kind);
            assertThat(stats.prefetchesStarted()).isEqualTo(3);
            assertThat(stats.prefetchesUsed()).isEqualTo(1);
            assertThat(stats.prefetchesUnused()).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("a background load the budget refuses is skipped for budget: no failure, no throttle")
    void refusedForBudget() {
        Loader<String> refused = id -> {
            throw new IllegalStateException("no permit", new PermitRefusedException(Priority.current()));
        };
        try (SharedCache cache = cache(kind, Runnable::run)) {
            assertThat(cache.prefetch(kind, "k", refused)).isEqualTo(AheadResult.STARTED);
            assertThat(cache.warm(kind, "k", 0.2, refused))
                    .as("not throttled: the next pass may try again")
                    .isEqualTo(AheadResult.STARTED);
            CacheStatistics stats = cache.stats(kind);
            assertThat(stats.skippedForBudget()).isEqualTo(2);
            assertThat(stats.warmLoads())
                    .as("a refused warm load loaded nothing")
                    .isZero();
            assertThat(stats.loadFailures()).isZero();
            assertThat(stats.prefetchesUnused())
                    .as("refused, so neither used nor unused")
                    .isZero();
            assertThat(cache.get(kind, "k", loader)).as("a user still loads it").contains("v-k");
        }
    }

    @Test
    @DisplayName("a user waiting on a background load the budget refused loads the key at user priority")
    void userAfterRefusedBackground() throws Exception {
        CountDownLatch backgroundRunning = new CountDownLatch(1);
        CountDownLatch refuse = new CountDownLatch(1);
        Loader<String> budgeted = id -> {
            Priority priority = Priority.current();
            priorities.add(priority);
            if (priority == Priority.BACKGROUND) {
                backgroundRunning.countDown();
                await(refuse);
                throw new IllegalStateException("no permit", new PermitRefusedException(priority));
            }
            return Loaded.of("v-" + id);
        };
        EngineFixtures.CountingCoordinator coordinator = new EngineFixtures.CountingCoordinator();
        ExecutorService background = Executors.newSingleThreadExecutor();
        try (SharedCache cache = SharedCache.builder(new InMemoryCachePort(clock))
                .clock(clock)
                .coordinator(coordinator)
                .backgroundExecutor(background)
                .build()) {
            cache.prefetch(kind, "k", budgeted);
            await(backgroundRunning);
            CountDownLatch userClaimed = coordinator.expectClaims(1);
            CompletableFuture<java.util.Optional<String>> user =
                    CompletableFuture.supplyAsync(() -> cache.get(kind, "k", budgeted));
            await(userClaimed);
            refuse.countDown();
            assertThat(user.get(30, TimeUnit.SECONDS)).contains("v-k");
            assertThat(priorities).containsExactly(Priority.BACKGROUND, Priority.USER);
            assertThat(cache.stats(kind).skippedForBudget()).isEqualTo(1);
        } finally {
            background.shutdownNow();
        }
    }

    @Test
    @DisplayName("a load ahead that finds another server's claim on the key does nothing")
    void anotherServersLease() {
        LoadCoordinator coordinator = new InProcessLoadCoordinator();
        LoadCoordinator.Claim otherServer = coordinator.claim(new CacheKey(kind, "k"));
        try (SharedCache cache = SharedCache.builder(new InMemoryCachePort(clock))
                .clock(clock)
                .coordinator(coordinator)
                .backgroundExecutor(Runnable::run)
                .build()) {
            assertThat(cache.warm(kind, "k", 0.2, loader)).isEqualTo(AheadResult.STARTED);
            assertThat(priorities).as("no load: the other holds the key").isEmpty();
            assertThat(cache.stats(kind).loads()).isZero();
        } finally {
            otherServer.fail(new IllegalStateException("test over"));
        }
    }
}
