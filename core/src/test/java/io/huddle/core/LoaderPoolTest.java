package io.huddle.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.huddle.core.api.CacheLoadException;
import io.huddle.core.api.CachePolicy;
import io.huddle.core.api.DataKind;
import io.huddle.core.api.Loaded;
import io.huddle.core.api.Loader;
import io.huddle.core.memory.InMemoryCachePort;
import io.huddle.testkit.Eventually;
import io.huddle.testkit.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The default loader pool runs its threads' worth of loads, queues as many more, and only then refuses")
class LoaderPoolTest {
    private final ManualClock clock = new ManualClock();
    private final DataKind<String> kind = EngineFixtures.kind(CachePolicy.builder(EngineFixtures.TTL)
            .loadTimeout(Duration.ofSeconds(30))
            .build());
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger running = new AtomicInteger();
    private final Loader<String> held = id -> {
        running.incrementAndGet();
        release.await(20, TimeUnit.SECONDS);
        return Loaded.of("v-" + id);
    };

    @AfterEach
    void stop() {
        release.countDown();
    }

    @Test
    @DisplayName("with 2 threads, 4 loads of distinct keys all answer (2 wait for a thread); a 5th is a typed error")
    void queuesThenRefuses() throws Exception {
        try (SharedCache cache = SharedCache.builder(new InMemoryCachePort(clock))
                .clock(clock)
                .loaderThreads(2)
                .build()) {
            List<FutureTask<Optional<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String id = "k" + i;
                FutureTask<Optional<String>> answer = new FutureTask<>(() -> cache.get(kind, id, held));
                Thread user = new Thread(answer, "user-" + i);
                user.setDaemon(true);
                user.start();
                answers.add(answer);
                // one user at a time, until it waits for its load: running it, or queued for a thread
                Eventually.await(
                        user.getName() + " waits for his load",
                        Duration.ofSeconds(10),
                        () -> user.getState() == Thread.State.WAITING || user.getState() == Thread.State.TIMED_WAITING);
            }
            assertThat(running).as("two threads, so two loads run").hasValue(2);

            assertThatThrownBy(() -> cache.get(kind, "k4", held))
                    .isInstanceOf(CacheLoadException.class)
                    .hasMessageContaining("no loader thread was free");

            release.countDown();
            for (int i = 0; i < 4; i++) {
                assertThat(answers.get(i).get(20, TimeUnit.SECONDS)).contains("v-k" + i);
            }
            assertThat(running).hasValue(4);
        }
    }
}
