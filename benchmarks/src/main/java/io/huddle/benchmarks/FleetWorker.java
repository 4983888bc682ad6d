package io.huddle.benchmarks;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.huddle.benchmarks.FleetProtocol.Command;
import io.huddle.benchmarks.FleetProtocol.Contender;
import io.huddle.benchmarks.FleetProtocol.Done;
import io.huddle.benchmarks.FleetProtocol.Round;
import io.huddle.caffeine.CaffeineCachePort;
import io.huddle.core.SharedCache;
import io.huddle.core.api.CachePolicy;
import io.huddle.core.api.DataKind;
import io.huddle.core.api.Loaded;
import io.huddle.core.api.Loader;
import io.huddle.core.spi.CoordinatorStatistics;
import io.huddle.core.spi.LoadCoordinator;
import io.huddle.core.tiered.TieredCachePort;
import io.huddle.redis.RedisHuddle;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * One server of the {@link Fleet}: a process with its users (a fixed pool of threads, one per user)
 * and both contenders built once for the whole run, a Huddle {@link SharedCache} over a near cache
 * and the shared Redis, and a plain Caffeine cache. It obeys {@link FleetProtocol}'s commands from
 * stdin and answers on stdout; logs go to stderr. It exits when told to quit or when stdin ends (the
 * driver is gone).
 *
 * <p>Arguments, each {@code name=value}: {@code index} (this process's number, from 0), {@code
 * users} (users in this process), {@code loader-ms} (how long a load sleeps), {@code redis} (URI),
 * {@code prefix} (key prefix of the run), {@code pool} (Redis connections), {@code coordinator}
 * ({@code redis}: the Redis lease coordinator and invalidation bus of the process's {@link
 * RedisHuddle}; {@code local}: single flight within the process only, and an in-process bus).
 */
public final class FleetWorker implements WorkerMain.Commands {
    /** The one kind of the fleet: fresh for 10 minutes, so that keys a run leaves behind soon expire. */
    static final DataKind<String> KIND = DataKind.of(
            "fleet",
            String.class,
            CachePolicy.builder(Duration.ofMinutes(10))
                    .loadTimeout(Duration.ofSeconds(30))
                    .build());

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(120);

    private final int index;
    private final int users;
    private final Duration loaderDelay;
    private final SharedCache engine;
    private final LoadCoordinator coordinator;
    private final Cache<String, String> caffeine = Caffeine.newBuilder().build();
    private final ThreadPoolExecutor userThreads;
    private final AtomicInteger loaderCalls = new AtomicInteger();
    private final AtomicLong firstLoadStart = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong lastLoadEnd = new AtomicLong(Long.MIN_VALUE);
    private final Loader<String> huddleLoader = id -> Loaded.of(load(id));

    private FleetWorker(Map<String, String> options) {
        this.index = Integer.parseInt(WorkerMain.option(options, "index"));
        this.users = Integer.parseInt(WorkerMain.option(options, "users"));
        this.loaderDelay = Duration.ofMillis(Long.parseLong(WorkerMain.option(options, "loader-ms")));
        RedisHuddle redis = RedisHuddle.builder()
                .uri(URI.create(WorkerMain.option(options, "redis")))
                .keyPrefix(WorkerMain.option(options, "prefix"))
                .maxPoolSize(Integer.parseInt(WorkerMain.option(options, "pool")))
                .build();
        TieredCachePort tiered = TieredCachePort.builder(
                        CaffeineCachePort.builder().build(), redis.cachePort())
                .build();
        this.coordinator = redis.loadCoordinator();
        this.engine = SharedCache.builder(tiered)
                .coordinator(coordinator)
                .invalidationBus(redis.invalidationBus())
                .build();
        this.userThreads = new ThreadPoolExecutor(
                users, users, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(), new DaemonThreads("fleet-user-"));
        userThreads.prestartAllCoreThreads();
    }

    public static void main(String[] args) throws IOException {
        WorkerMain.run(args, FleetProtocol.PREFIX, FleetWorker::new);
    }

    @Override
    public boolean isQuit(String line) {
        return FleetProtocol.parseCommand(line) instanceof FleetProtocol.Quit;
    }

    @Override
    public List<String> carryOut(String line) {
        Command command = FleetProtocol.parseCommand(line);
        if (command instanceof Round round) {
            return List.of(FleetProtocol.format(run(round)));
        }
        engine.invalidateAll(KIND);
        return List.of(FleetProtocol.PREFIX + "cleaned " + engine.stats(KIND).entries());
    }

    private Done run(Round round) {
        CountDownLatch ready = new CountDownLatch(users);
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch answered = new CountDownLatch(users);
        long[] answeredAt = new long[users];
        AtomicInteger failures = new AtomicInteger();
        AtomicReference<Throwable> firstFailure = new AtomicReference<>();
        loaderCalls.set(0);
        firstLoadStart.set(Long.MAX_VALUE);
        lastLoadEnd.set(Long.MIN_VALUE);
        CoordinatorStatistics before = coordinator.statistics();
        long gcBefore = gcMillis();
        for (int i = 0; i < users; i++) {
            int user = i;
            String key = round.key((index * users + user) % round.keys());
            userThreads.execute(() -> {
                try {
                    ready.countDown();
                    go.await();
                    String value = ask(round.contender(), key);
                    if (!key.equals(value)) {
                        throw new IllegalStateException("got '" + value + "' for " + key);
                    }
                } catch (Throwable e) {
                    failures.incrementAndGet();
                    firstFailure.compareAndSet(null, e);
                } finally {
                    answeredAt[user] = System.nanoTime();
                    answered.countDown();
                }
            });
        }
        await(ready, READY_TIMEOUT, "the " + users + " users to be ready");
        long releaseAtMicros = round.releaseAtMillis() * 1000;
        long remaining;
        while ((remaining = releaseAtMicros - epochMicros()) > 0) {
            if (remaining > 3_000) {
                sleep(Duration.ofNanos((remaining - 2_000) * 1000));
            } else {
                LockSupport.parkNanos(50_000);
            }
        }
        long lateMicros = epochMicros() - releaseAtMicros;
        long releasedAt = System.nanoTime();
        go.countDown();
        if (!await(answered, ANSWER_TIMEOUT)) {
            throw new IllegalStateException(answered.getCount() + " users of round " + round.roundId()
                    + " had no answer after " + ANSWER_TIMEOUT);
        }
        if (firstFailure.get() != null) {
            System.err.println("[fleet worker " + index + "] round " + round.roundId() + ": " + failures.get()
                    + " users failed; the first: " + firstFailure.get());
        }
        long[] waits = new long[users];
        for (int i = 0; i < users; i++) {
            waits[i] = lateMicros + (answeredAt[i] - releasedAt) / 1000;
        }
        Arrays.sort(waits);
        CoordinatorStatistics during = coordinator.statistics().minus(before);
        long loadFrom = loaderCalls.get() == 0 ? -1 : lateMicros + (firstLoadStart.get() - releasedAt) / 1000;
        long loadTo = loaderCalls.get() == 0 ? -1 : lateMicros + (lastLoadEnd.get() - releasedAt) / 1000;
        return new Done(
                round.roundId(),
                loaderCalls.get(),
                lateMicros,
                gcMillis() - gcBefore,
                loadFrom,
                loadTo,
                failures.get(),
                during,
                waits);
    }

    private String ask(Contender contender, String key) {
        return switch (contender) {
            case HUDDLE -> engine.get(KIND, key, huddleLoader).orElseThrow();
            case CAFFEINE -> caffeine.get(key, this::load);
        };
    }

    /** The upstream: counts the call, takes its time, and answers the key itself. */
    private String load(String key) {
        loaderCalls.incrementAndGet();
        firstLoadStart.accumulateAndGet(System.nanoTime(), Math::min);
        sleep(loaderDelay);
        lastLoadEnd.accumulateAndGet(System.nanoTime(), Math::max);
        return key;
    }

    @Override
    public void close() {
        userThreads.shutdownNow();
        engine.close();
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionTime)
                .filter(time -> time > 0)
                .sum();
    }

    private static long epochMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis(), (int) (duration.toNanos() % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void await(CountDownLatch latch, Duration timeout, String what) {
        if (!await(latch, timeout)) {
            throw new IllegalStateException("waited " + timeout + " for " + what);
        }
    }

    private static boolean await(CountDownLatch latch, Duration timeout) {
        try {
            return latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
