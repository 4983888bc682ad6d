package io.huddle.core;

import static io.huddle.core.EngineFixtures.TTL;
import static io.huddle.core.EngineFixtures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.huddle.core.api.CacheLoadException;
import io.huddle.core.api.CachePolicy;
import io.huddle.core.api.CacheStatistics;
import io.huddle.core.api.DataKind;
import io.huddle.core.api.Loaded;
import io.huddle.core.api.Loader;
import io.huddle.core.memory.InMemoryCachePort;
import io.huddle.testkit.ManualClock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Serving stale values")
class StaleServingTest {
    private final ManualClock clock = new ManualClock();
    private final InMemoryCachePort port = new InMemoryCachePort(clock);
    private final SharedCache cache = SharedCache.builder(port).clock(clock).build();

    @AfterEach
    void close() {
        cache.close();
    }

    @Nested
    @DisplayName("while revalidating")
    class WhileRevalidate {
        private final DataKind<String> kind = EngineFixtures.kind(CachePolicy.builder(TTL)
                .staleWhileRevalidate(Duration.ofMinutes(5))
                .loadTimeout(Duration.ofSeconds(30))
                .build());

        @Test
        @DisplayName("after the ttl, callers get the old value at once and exactly one refresh runs")
        void oldValueAtOnce() throws Exception {
            cache.get(kind, "k", id -> Loaded.of("old"));
            clock.advance(TTL.plusSeconds(30));

            CountDownLatch refreshMayFinish = new CountDownLatch(1);
            CountDownLatch refreshDone = new CountDownLatch(1);
            AtomicInteger refreshes = new AtomicInteger();
            Loader<String> slowRefresh = id -> {
                refreshes.incrementAndGet();
                await(refreshMayFinish);
                refreshDone.countDown();
                return Loaded.of("new");
            };

            for (int i = 0; i < 20; i++) {
                assertThat(cache.get(kind, "k", slowRefresh))
                        .as("no caller waits for the refresh")
                        .contains("old");
            }
            refreshMayFinish.countDown();
            await(refreshDone);
            String afterRefresh = awaitValue(kind, "k", "new", slowRefresh);

            assertThat(afterRefresh).isEqualTo("new");
            assertThat(refreshes).hasValue(1);
            CacheStatistics stats = cache.stats(kind);
            assertThat(stats.staleServed()).isGreaterThanOrEqualTo(20);
            assertThat(stats.loads()).isEqualTo(2);
        }

        @Test
        @DisplayName("past the window, a caller waits for a load like on a miss")
        void pastWindow() {
            cache.get(kind, "k", id -> Loaded.of("old"));
            clock.advance(TTL.plus(Duration.ofMinutes(6)));

            assertThat(cache.get(kind, "k", id -> Loaded.of("new"))).contains("new");
            assertThat(cache.stats(kind).staleServed()).isZero();
        }

        /** Reads until the stored value is the expected one: the refresh writes just after it returns. */
        private String awaitValue(DataKind<String> kind, String id, String expected, Loader<String> loader) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            String value;
            do {
                value = cache.get(kind, id, loader).orElseThrow();
            } while (!value.equals(expected) && System.nanoTime() < deadline);
            return value;
        }
    }

    @Nested
    @DisplayName("if the upstream fails")
    class IfError {
        private final DataKind<String> kind = EngineFixtures.kind(CachePolicy.builder(TTL)
                .staleIfError(Duration.ofMinutes(10))
                .loadTimeout(Duration.ofMillis(200))
                .build());

        @Test
        @DisplayName("after the ttl, a failed load serves the old value and counts it")
        void servesOld() {
            cache.get(kind, "k", id -> Loaded.of("old"));
            clock.advance(TTL.plusSeconds(1));

            String answer = cache.get(kind, "k", id -> {
                        throw new IllegalStateException("upstream answered 503");
                    })
                    .orElseThrow();

            assertThat(answer).isEqualTo("old");
            CacheStatistics stats = cache.stats(kind);
            assertThat(stats.staleServed()).isEqualTo(1);
            assertThat(stats.loadFailures()).isEqualTo(1);
            assertThat(stats.misses()).isEqualTo(1).as("only the first load was a miss");
        }

        @Test
        @DisplayName("a throttled load serves the old value too")
        void throttled() {
            cache.get(kind, "k", id -> Loaded.of("old"));
            clock.advance(TTL.plusSeconds(1));

            assertThat(cache.get(kind, "k", id -> {
                        throw new RateLimitedForTest();
                    }))
                    .contains("old");
        }

        @Test
        @DisplayName("a load that outlasts the load timeout serves the old value")
        void timeout() {
            cache.get(kind, "k", id -> Loaded.of("old"));
            clock.advance(TTL.plusSeconds(1));
            CountDownLatch hang = new CountDownLatch(1);
            try {
                assertThat(cache.get(kind, "k", id -> {
                            await(hang);
                            return Loaded.of("late");
                        }))
                        .contains("old");
            } finally {
                hang.countDown();
            }
        }

        @Test
        @DisplayName("past the window, the caller gets a typed error naming kind and key")
        void pastWindow() {
            cache.get(kind, "k", id -> Loaded.of("old"));
            clock.advance(TTL.plus(Duration.ofMinutes(11)));
            IllegalStateException cause = new IllegalStateException("upstream answered 503");

            assertThatThrownBy(() -> cache.get(kind, "k", id -> {
                        throw cause;
                    }))
                    .isInstanceOfSatisfying(CacheLoadException.class, e -> {
                        assertThat(e.kind()).isEqualTo("words");
                        assertThat(e.id()).isEqualTo("k");
                        assertThat(e.getCause()).isSameAs(cause);
                    })
                    .hasMessage("loading words:k failed: IllegalStateException: upstream answered 503");
        }
    }

    @Nested
    @DisplayName("with a soft timeout")
    class SoftTimeout {
        private final DataKind<String> kind = EngineFixtures.kind(CachePolicy.builder(TTL)
                .staleIfError(Duration.ofMinutes(10))
                .loadTimeout(Duration.ofSeconds(60))
                .maxLoadTime(Duration.ofSeconds(60))
                .softTimeout(Duration.ofMillis(100))
                .build());

        @Test
        @DisplayName("a caller waits only the soft timeout for a slow load when a stale value can stand in")
        void staleAfterSoftTimeout() {
            cache.get(kind, "k", id -> Loaded.of("old"));
            clock.advance(TTL.plusSeconds(1));
            CountDownLatch loadMayFinish = new CountDownLatch(1);
            CountDownLatch loaded = new CountDownLatch(1);

            String answer = assertTimeoutPreemptively(
                    Duration.ofSeconds(30),
                    () -> cache.get(kind, "k", id -> {
                                await(loadMayFinish);
                                loaded.countDown();
                                return Loaded.of("new");
                            })
                            .orElseThrow(),
                    "waited for the load although a stale value could stand in");
            loadMayFinish.countDown();
            await(loaded);

            assertThat(answer).isEqualTo("old");
            assertThat(cache.stats(kind).staleServed()).isEqualTo(1);
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            String next;
            do {
                next = cache.get(kind, "k", id -> Loaded.of("unused")).orElseThrow();
            } while (!next.equals("new") && System.nanoTime() < until);
            assertThat(next).as("the load went on and stored its value").isEqualTo("new");
        }

        @Test
        @DisplayName("without a stale value the caller waits for the load as usual")
        void noStaleNoSoftTimeout() {
            CountDownLatch slowEnough = new CountDownLatch(1);
            Thread releaser = new Thread(() -> {
                try {
                    Thread.sleep(300); // longer than the soft timeout
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                slowEnough.countDown();
            });
            releaser.start();

            assertThat(cache.get(kind, "cold", id -> {
                        await(slowEnough);
                        return Loaded.of("loaded");
                    }))
                    .contains("loaded");
        }
    }

    /** Stands for the sports port's rate-limit error. */
    private static final class RateLimitedForTest extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RateLimitedForTest() {
            super("429 Too Many Requests");
        }
    }
}
