package io.huddle.examples;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import io.huddle.client.BalldontlieClient;
import io.huddle.core.SharedCache;
import io.huddle.core.api.CacheStatistics;
import io.huddle.core.memory.InMemoryCachePort;
import io.huddle.guice.ApiClientModule;
import io.huddle.guice.SportsServicesModule;
import io.huddle.sim.UpstreamSimulator;
import io.huddle.sports.Season;
import io.huddle.sports.SportsKinds;
import io.huddle.sports.SportsStatsService;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The main job: replays the seed's scenarios against an in-process upstream simulator, and counts
 * every upstream call on the simulator's own counters.
 *
 * <ol>
 *   <li>one user: a first comparison and the same comparison again;
 *   <li>10, 100 and 1000 users asking the same comparison at once, each row run twice: without a
 *       shared cache (every user with a cache of his own, the seed's "before") and with Huddle;
 *   <li>the statistics of the shared cache after the largest row.
 * </ol>
 *
 * <p>Run it with {@code ./demo} from the project root; {@code ./demo --help} lists the options.
 */
public final class Demo {
    static final String FIRST = "Micah Parsons";
    static final String SECOND = "Justin Jefferson";
    private static final Season SEASON = Season.of(UpstreamSimulator.SEASON);
    private static final String API_KEY = "demo-key";
    private static final int PLAN_REQUESTS_PER_MINUTE = 1_000_000;
    private static final int SOLO_USERS_AT_ONCE = 16;

    private final DemoOptions options;
    private final PrintStream out;
    private final AtomicInteger runs = new AtomicInteger();
    private final List<String> failures = new ArrayList<>();

    Demo(DemoOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /** Runs the demo; exits 0 when every user got an answer, 1 when some did not, 2 for bad options. */
    public static void main(String[] args) {
        DemoOptions options;
        try {
            options = DemoOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("demo: " + e.getMessage());
            System.err.print(DemoOptions.USAGE);
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.print(DemoOptions.USAGE);
            return;
        }
        try {
            System.exit(new Demo(options, System.out).run());
        } catch (RuntimeException e) {
            System.err.println("demo: " + (e.getMessage() == null ? Failures.rootMessage(e) : e.getMessage()));
            System.exit(1);
        }
    }

    int run() {
        try (UpstreamSimulator sim = UpstreamSimulator.builder()
                .nameSearch(options.nameSearch())
                .latency(options.latency())
                .build()
                .start()) {
            out.printf(
                    Locale.ROOT,
                    "Huddle demo: \"%s vs %s\"; shared cache on %s; name search %s; upstream latency %d ms%n",
                    FIRST,
                    SECOND,
                    options.backend().name().toLowerCase(Locale.ROOT),
                    options.nameSearch() ? "on" : "off (players are found by scanning the 32 rosters)",
                    options.latency().toMillis());
            out.println("Upstream: upstream-sim at " + sim.baseUrl()
                    + "; every count below is read from its call counters.");
            BalldontlieClient client = BalldontlieClient.builder(sim.baseUrl(), API_KEY)
                    .requestsPerMinute(PLAN_REQUESTS_PER_MINUTE)
                    .nameSearch(options.nameSearch())
                    .build();

            huddle(sim.baseUrl()).close(); // fail at once, before any scenario, if the backend cannot be set up
            oneUser(sim, client);
            statistics(manyUsers(sim, client));

            out.println();
            out.println("Player statistics are synthetic (seeded) data from upstream-sim; the teams and the"
                    + " named players' teams and positions are real.");
            if (!failures.isEmpty()) {
                out.println(failures.size() + " users got no answer; the first error: " + failures.get(0));
                return 1;
            }
            return 0;
        }
    }

    // ---- the scenarios

    private void oneUser(UpstreamSimulator sim, BalldontlieClient client) {
        long firstWithout = count(sim, "first comparison, no shared cache", () -> soloUser(client));
        long repeatWithout = count(sim, "repeat comparison, no shared cache", () -> soloUser(client));
        long firstWith;
        long repeatWith;
        try (Huddle huddle = huddle(sim.baseUrl())) {
            firstWith = count(sim, "first comparison, Huddle", () -> huddle.service.compare(FIRST, SECOND));
            repeatWith = count(sim, "repeat comparison, Huddle", () -> huddle.service.compare(FIRST, SECOND));
        }
        new Table("1. One user: upstream calls", "Query", "Without shared cache", "With Huddle", "Saved")
                .row("First comparison", firstWithout, firstWith, percentSaved(firstWithout, firstWith))
                .row("Repeat comparison", repeatWithout, repeatWith, percentSaved(repeatWithout, repeatWith))
                .print(out);
    }

    /** The shared cache's statistics after a row, and how many player names it had indexed. */
    private record AfterRow(CacheStatistics stats, long cachedPlayers) {}

    private AfterRow manyUsers(UpstreamSimulator sim, BalldontlieClient client) {
        Table table = new Table(
                "2. Users asking \"" + FIRST + " vs " + SECOND + "\" at the same moment: upstream calls",
                "Users",
                "Without shared cache",
                "With Huddle",
                "Saved");
        AfterRow last = new AfterRow(CacheStatistics.EMPTY, 0);
        for (int users : options.users()) {
            long without = count(
                    sim,
                    users + " users, no shared cache",
                    () -> together(users, Math.min(users, SOLO_USERS_AT_ONCE), () -> soloUser(client)));
            long with;
            try (Huddle huddle = huddle(sim.baseUrl())) {
                with = count(
                        sim,
                        users + " users, Huddle",
                        () -> together(users, users, () -> huddle.service.compare(FIRST, SECOND)));
                last = new AfterRow(
                        huddle.cache.stats(),
                        huddle.cache.stats(SportsKinds.PLAYER_ID).entries());
            }
            table.row(users, without, with, percentSaved(without, with));
        }
        table.print(out);
        return last;
    }

    private void statistics(AfterRow last) {
        CacheStatistics stats = last.stats();
        new Table("3. The shared cache after the last row", "Statistic", "Value")
                .row("Requests to the cache", stats.requests())
                .row(
                        "Answered from the cache (hits + stale + not-found)",
                        stats.hits() + stats.staleServed() + stats.negativeHits())
                .row("Waited for another user's load (coalesced)", stats.coalescedWaits())
                .row("Loads (misses)", stats.loads())
                .row("Upstream calls made", stats.upstreamCalls())
                .row("Upstream calls saved", stats.upstreamCallsSaved())
                .row("Hit rate", String.format(Locale.ROOT, "%.1f%%", 100 * stats.hitRate()))
                .row(
                        "Upstream avoidance rate",
                        String.format(Locale.ROOT, "%.1f%%", 100 * stats.upstreamAvoidanceRate()))
                .row("Cached players (names indexed)", last.cachedPlayers())
                .row("Cached entries in all", stats.entries())
                .row("Backend errors", stats.backendErrors())
                .print(out);
        if (stats.backendErrors() > 0) {
            out.println("The backend failed " + stats.backendErrors() + " times; each was served as a miss. Is "
                    + options.backend() + " reachable?");
        }
    }

    // ---- users, caches and counting

    /** A user without a shared cache: a cache of his own, which starts empty, for one comparison. */
    private void soloUser(BalldontlieClient client) {
        try (SharedCache own = SharedCache.builder(new InMemoryCachePort()).build()) {
            new SportsStatsService(own, client, SEASON).compare(FIRST, SECOND);
        }
    }

    /** Runs {@code users} users released together on {@code threads} threads; records who failed. */
    private void together(int users, int threads, Runnable user) {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> answers = new ArrayList<>();
            for (int i = 0; i < users; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    user.run();
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> answer : answers) {
                try {
                    answer.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    synchronized (failures) {
                        failures.add(String.valueOf(e.getCause()));
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** The upstream calls {@code work} made, with a progress line while it runs. */
    private long count(UpstreamSimulator sim, String label, Runnable work) {
        sim.resetCounters();
        long started = System.nanoTime();
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "demo-progress");
            thread.setDaemon(true);
            return thread;
        });
        boolean live = System.console() != null;
        if (live) {
            ticker.scheduleAtFixedRate(
                    () -> System.err.printf(
                            Locale.ROOT,
                            "\r  %-40s %,8d calls ",
                            label,
                            sim.calls().total()),
                    250,
                    250,
                    TimeUnit.MILLISECONDS);
        }
        try {
            work.run();
        } catch (RuntimeException e) {
            failures.add(label + ": " + e);
        } finally {
            ticker.shutdownNow();
        }
        long calls = sim.calls().total();
        System.err.printf(
                Locale.ROOT,
                "%s  %-40s %,8d calls in %,.1f s%n",
                live ? "\r" : "",
                label,
                calls,
                (System.nanoTime() - started) / 1e9);
        return calls;
    }

    private static String percentSaved(long without, long with) {
        return without == 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100.0 * (without - with) / without);
    }

    // ---- the shared cache, wired with Guice as an application would

    /** One cold shared cache and the service over it; closing it empties and closes the backend. */
    private final class Huddle implements AutoCloseable {
        final SharedCache cache;
        final SportsStatsService service;
        private final Path directory;

        Huddle(Injector injector, Path directory) {
            this.cache = injector.getInstance(SharedCache.class);
            this.service = injector.getInstance(SportsStatsService.class);
            this.directory = directory;
        }

        @Override
        public void close() {
            SportsKinds.ALL.forEach(cache::invalidateAll);
            cache.close();
            if (directory != null) {
                deleteTree(directory);
            }
        }
    }

    private Huddle huddle(URI upstream) {
        String run = "huddle-demo-" + ProcessHandle.current().pid() + "-" + runs.incrementAndGet();
        Path directory = options.backend() == Backend.EHCACHE ? temporaryDirectory(run) : null;
        Module backend = options.backend().module(options.redis(), run, directory);
        try {
            Injector injector = Guice.createInjector(
                    new SportsServicesModule(SEASON),
                    backend,
                    new ApiClientModule(upstream, API_KEY, PLAN_REQUESTS_PER_MINUTE, options.nameSearch()));
            return new Huddle(injector, directory);
        } catch (RuntimeException e) {
            if (directory != null) {
                deleteTree(directory);
            }
            throw new IllegalStateException(
                    "cannot set up the shared cache on " + options.backend() + ": " + Failures.rootMessage(e), e);
        }
    }

    private static Path temporaryDirectory(String name) {
        try {
            return Files.createTempDirectory(name);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a directory for the Ehcache disk tier", e);
        }
    }

    private static void deleteTree(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }
}
