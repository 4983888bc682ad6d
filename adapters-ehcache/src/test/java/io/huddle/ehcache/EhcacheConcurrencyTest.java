package io.huddle.ehcache;

import static org.assertj.core.api.Assertions.assertThat;

import io.huddle.core.api.CacheKey;
import io.huddle.core.api.CachePolicy;
import io.huddle.core.api.DataKind;
import io.huddle.core.spi.CacheEntry;
import io.huddle.testkit.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ehcache 3.12's own bulk read fails with UnsupportedOperationException when it meets a key another
 * thread is faulting in from a lower tier; the port reads key by key, and this test holds it to that.
 */
@DisplayName("The Ehcache port under many threads")
class EhcacheConcurrencyTest {
    private static final DataKind<String> WORDS =
            DataKind.of("words", String.class, CachePolicy.ofTtl(Duration.ofHours(1)));

    @Test
    @DisplayName("reads one and many keys while others write them, without a backend error")
    void readsWhileOthersWrite(@TempDir Path directory) throws Exception {
        ManualClock clock = new ManualClock();
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        try (EhcacheCachePort port =
                EhcacheCachePort.builder(directory).heapEntries(4).clock(clock).build()) {
            ExecutorService threads = Executors.newFixedThreadPool(32);
            CountDownLatch start = new CountDownLatch(1);
            for (int t = 0; t < 32; t++) {
                int thread = t;
                threads.execute(() -> {
                    try {
                        start.await();
                        for (int i = 0; i < 1500; i++) {
                            CacheKey key = new CacheKey(WORDS, "k" + (i % 10));
                            if ((i + thread) % 3 == 0) {
                                Instant now = clock.instant();
                                port.put(
                                        key,
                                        CacheEntry.found(
                                                "v".repeat(1000), now, now.plusSeconds(60), now.plusSeconds(120), 1),
                                        Duration.ofMinutes(2));
                            } else {
                                port.get(key);
                                port.getAll(List.of(key, new CacheKey(WORDS, "k" + ((i + 1) % 10))));
                            }
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                });
            }
            start.countDown();
            threads.shutdown();
            assertThat(threads.awaitTermination(2, TimeUnit.MINUTES)).isTrue();
            assertThat(port.statistics().unreadable()).isZero();
        }
        assertThat(failures).isEmpty();
    }
}
