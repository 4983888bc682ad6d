package io.huddle.benchmarks;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.huddle.caffeine.CaffeineCachePort;
import io.huddle.core.SharedCache;
import io.huddle.core.api.CachePolicy;
import io.huddle.core.api.DataKind;
import io.huddle.core.api.Loaded;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A stampede, measured without JMH: {@code users} threads released together on one cold key, whose
 * loader sleeps for the given delay. Each round uses a new key and records how many times the loader
 * ran and how long it took until every user had the value (from the release to the last answer).
 * Three contenders: Huddle's engine on Caffeine, Caffeine's own {@code cache.get(key, function)}
 * (which also runs one load per key within a process), and a naive check-then-load map, which shows
 * what single flight saves.
 */
final class Stampede {
    private Stampede() {}

    /** Who answers the users. */
    enum Contender {
        HUDDLE("Huddle engine on Caffeine"),
        CAFFEINE("Caffeine cache.get(key, fn)"),
        NAIVE_MAP("naive check-then-load map");

        final String label;

        Contender(String label) {
            this.label = label;
        }
    }

    /** One round: loader calls, and nanoseconds from the release until the last user had the value. */
    record Round(int loaderCalls, long waitNanos) {}

    /** Every round of one contender with one number of users. */
    record Result(Contender contender, int users, List<Round> rounds) {
        int minLoaderCalls() {
            return rounds.stream().mapToInt(Round::loaderCalls).min().orElseThrow();
        }

        int maxLoaderCalls() {
            return rounds.stream().mapToInt(Round::loaderCalls).max().orElseThrow();
        }

        /** The median wait over the rounds, by nearest rank. */
        Duration medianWait() {
            long[] waits = rounds.stream().mapToLong(Round::waitNanos).sorted().toArray();
            return Duration.ofNanos(waits[(waits.length + 1) / 2 - 1]);
        }

        Duration maxWait() {
            return Duration.ofNanos(
                    rounds.stream().mapToLong(Round::waitNanos).max().orElseThrow());
        }
    }

    /** Runs {@code rounds} stampedes of {@code users} users on the contender. */
    static Result run(Contender contender, int users, Duration loaderDelay, int rounds) {
        if (users < 1 || rounds < 1) {
            throw new IllegalArgumentException("users and rounds must be positive, were " + users + ", " + rounds);
        }
        AtomicInteger loaderCalls = new AtomicInteger();
        Function<String, String> loader = key -> {
            loaderCalls.incrementAndGet();
            try {
                Thread.sleep(loaderDelay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while loading " + key, e);
            }
            return valueOf(key);
        };
        ExecutorService pool = Executors.newFixedThreadPool(users, new UserThreads());
        try (Subject subject = subject(contender)) {
            List<Round> done = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                loaderCalls.set(0);
                long wait = stampede(pool, users, subject, "round-" + round, loader);
                done.add(new Round(loaderCalls.get(), wait));
            }
            return new Result(contender, users, List.copyOf(done));
        } finally {
            pool.shutdownNow();
        }
    }

    private static String valueOf(String key) {
        return "value of " + key;
    }

    private static long stampede(
            ExecutorService pool, int users, Subject subject, String key, Function<String, String> loader) {
        CountDownLatch ready = new CountDownLatch(users);
        CountDownLatch go = new CountDownLatch(1);
        long[] answeredAt = new long[users];
        List<Future<?>> answers = new ArrayList<>(users);
        for (int i = 0; i < users; i++) {
            int user = i;
            answers.add(pool.submit(() -> {
                ready.countDown();
                go.await();
                String value = subject.get(key, loader);
                answeredAt[user] = System.nanoTime();
                if (!valueOf(key).equals(value)) {
                    throw new IllegalStateException("user " + user + " got '" + value + "' for " + key);
                }
                return null;
            }));
        }
        try {
            if (!ready.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the " + users + " user threads did not start within 60 s");
            }
            long releasedAt = System.nanoTime();
            go.countDown();
            for (Future<?> answer : answers) {
                answer.get(60, TimeUnit.SECONDS);
            }
            return Arrays.stream(answeredAt).max().orElseThrow() - releasedAt;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during a stampede", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("a user of the stampede on " + key + " failed", e);
        }
    }

    /** The cache under test, as the users see it. */
    private interface Subject extends AutoCloseable {
        String get(String key, Function<String, String> loader) throws Exception;

        @Override
        default void close() {}
    }

    private static Subject subject(Contender contender) {
        return switch (contender) {
            case HUDDLE -> huddle();
            case CAFFEINE -> {
                Cache<String, String> cache = Caffeine.newBuilder().build();
                yield cache::get;
            }
            case NAIVE_MAP -> {
                Map<String, String> map = new ConcurrentHashMap<>();
                yield (key, loader) -> {
                    String value = map.get(key);
                    if (value == null) {
                        value = loader.apply(key);
                        map.put(key, value);
                    }
                    return value;
                };
            }
        };
    }

    private static Subject huddle() {
        DataKind<String> kind = DataKind.of("stampede", String.class, CachePolicy.ofTtl(Duration.ofHours(1)));
        SharedCache engine =
                SharedCache.builder(CaffeineCachePort.builder().build()).build();
        return new Subject() {
            @Override
            public String get(String key, Function<String, String> loader) {
                return engine.get(kind, key, id -> Loaded.of(loader.apply(id))).orElseThrow();
            }

            @Override
            public void close() {
                engine.close();
            }
        };
    }

    /** Daemon threads, so that a stuck stampede cannot keep the JVM alive. */
    private static final class UserThreads implements ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "stampede-user-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    }
}
