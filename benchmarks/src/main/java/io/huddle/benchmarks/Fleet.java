package io.huddle.benchmarks;

import io.huddle.benchmarks.FleetProtocol.Contender;
import io.huddle.benchmarks.FleetProtocol.Done;
import io.huddle.core.spi.CoordinatorStatistics;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Several servers sharing one Redis, as real processes: the driver starts {@link Settings#processes}
 * {@link FleetWorker} JVMs, each with its users, and releases every user of every process at one
 * instant on cold keys whose loader is slow. Per round it collects each process's loader calls and
 * each user's wait (from the common release instant to the answer); contenders alternate within the
 * run, on fresh keys every round, so that both see the same machine.
 *
 * <p>The processes run on this machine with the driver's java and class path; they are killed if
 * the driver fails or is interrupted, and exit by themselves when the driver's end of their stdin
 * closes.
 */
final class Fleet {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration ROUND_TIMEOUT = Duration.ofSeconds(180);

    private Fleet() {}

    /**
     * How the fleet runs.
     *
     * @param processes server processes
     * @param usersPerProcess users (threads) in each process
     * @param loaderDelay how long the loader takes
     * @param keyCounts the scenarios: how many cold keys the users spread evenly over
     * @param firstWarmupRounds rounds per contender run once before every scenario and discarded, on
     *     the last scenario's keys: the processes start cold (class loading, JIT, Redis connections)
     * @param warmupRounds rounds per scenario and contender run first and discarded
     * @param measuredRounds rounds per scenario and contender reported
     * @param releaseLead how long after sending a round its users are released (time to get ready)
     * @param redisPool each process's Redis connections
     * @param heap each process's {@code -Xmx}
     */
    record Settings(
            int processes,
            int usersPerProcess,
            Duration loaderDelay,
            List<Integer> keyCounts,
            int firstWarmupRounds,
            int warmupRounds,
            int measuredRounds,
            Duration releaseLead,
            int redisPool,
            String heap) {
        Settings {
            keyCounts = List.copyOf(keyCounts);
            if (processes < 1
                    || usersPerProcess < 1
                    || keyCounts.isEmpty()
                    || firstWarmupRounds < 0
                    || warmupRounds < 0
                    || measuredRounds < 1) {
                throw new IllegalArgumentException("processes, users and measured rounds must be positive");
            }
        }

        int users() {
            return processes * usersPerProcess;
        }
    }

    /**
     * One round of one contender, over every process.
     *
     * @param loaderCalls loader calls summed over the processes
     * @param failures users that got an error or a wrong value
     * @param maxLateMicros the latest any process released its users after the common instant
     * @param maxGcMillis the most time any process spent collecting garbage during the round
     * @param processFirstMicros each process's shortest wait (its first answer), in process order
     * @param processP50Micros each process's median wait, in process order
     * @param firstLoadStartMicros when the first load started, from the release instant
     * @param lastLoadEndMicros when the last load ended, from the release instant
     * @param coordinator the Huddle coordinators' statistics during the round, summed
     * @param waitMicros every user's wait, sorted
     */
    record Round(
            Contender contender,
            int keys,
            int roundId,
            boolean warmup,
            int loaderCalls,
            int failures,
            long maxLateMicros,
            long maxGcMillis,
            long[] processFirstMicros,
            long[] processP50Micros,
            long firstLoadStartMicros,
            long lastLoadEndMicros,
            CoordinatorStatistics coordinator,
            long[] waitMicros) {
        long p50() {
            return FleetProtocol.percentile(waitMicros, 50);
        }

        long p99() {
            return FleetProtocol.percentile(waitMicros, 99);
        }

        long max() {
            return waitMicros[waitMicros.length - 1];
        }
    }

    /** The rounds of one number of keys, warm-up included, in the order they ran. */
    record Scenario(int keys, List<Round> rounds) {
        List<Round> measured(Contender contender) {
            return rounds.stream()
                    .filter(round -> !round.warmup() && round.contender() == contender)
                    .toList();
        }
    }

    /** Everything one run measured. */
    record Result(Settings settings, String redis, String keyPrefix, List<Scenario> scenarios, Duration took) {}

    /** Starts the processes, runs every scenario, and stops the processes. */
    static Result run(Settings settings, URI redisUri, String redisDescription, PrintStream progress) {
        long started = System.nanoTime();
        String prefix = "huddle-fleet-" + UUID.randomUUID().toString().substring(0, 8);
        try (WorkerProcesses processes = new WorkerProcesses()) {
            for (int i = 0; i < settings.processes(); i++) {
                processes.start("fleet worker", i, FleetProtocol.PREFIX, command(i, settings, redisUri, prefix));
            }
            processes.awaitReady(START_TIMEOUT);
            List<WorkerProcess> workers = processes.all();
            progress.printf(
                    Locale.ROOT,
                    "[huddle-bench] fleet: %d processes x %d users, Redis %s, key prefix %s, started in %.1f s%n",
                    settings.processes(),
                    settings.usersPerProcess(),
                    redisDescription,
                    prefix,
                    (System.nanoTime() - started) / 1e9);
            int nextRound = 0;
            int warmupKeys = settings.keyCounts().get(settings.keyCounts().size() - 1);
            for (int r = 0; r < settings.firstWarmupRounds(); r++) {
                for (Contender contender : order(r)) {
                    Round round = round(workers, settings, contender, warmupKeys, nextRound++, true);
                    report(progress, "first warm-up " + (r + 1) + "/" + settings.firstWarmupRounds(), round);
                }
            }
            List<Scenario> scenarios = new ArrayList<>();
            for (int keys : settings.keyCounts()) {
                List<Round> rounds = new ArrayList<>();
                int total = settings.warmupRounds() + settings.measuredRounds();
                for (int r = 0; r < total; r++) {
                    boolean warmup = r < settings.warmupRounds();
                    for (Contender contender : order(r)) {
                        Round round = round(workers, settings, contender, keys, nextRound++, warmup);
                        rounds.add(round);
                        report(progress, "round " + (r + 1) + "/" + total + (warmup ? " (warm-up)" : ""), round);
                    }
                }
                scenarios.add(new Scenario(keys, List.copyOf(rounds)));
            }
            clean(workers.get(0), progress);
            for (WorkerProcess worker : workers) {
                worker.quit(FleetProtocol.format(new FleetProtocol.Quit()));
            }
            return new Result(
                    settings,
                    redisDescription,
                    prefix,
                    List.copyOf(scenarios),
                    Duration.ofNanos(System.nanoTime() - started));
        }
    }

    /** Who goes first alternates, so that neither always runs on a machine just woken up. */
    private static List<Contender> order(int round) {
        return round % 2 == 0
                ? List.of(Contender.HUDDLE, Contender.CAFFEINE)
                : List.of(Contender.CAFFEINE, Contender.HUDDLE);
    }

    private static void report(PrintStream progress, String what, Round round) {
        progress.printf(
                Locale.ROOT,
                "[huddle-bench] fleet %d key(s), %s, %-9s loader calls %d, wait p50 %s, p99 %s, max %s;"
                        + " latest release +%.1f ms, gc <= %d ms, loads ran +%.1f..+%.1f ms, first answer/p50 per process %s%s%s%n",
                round.keys(),
                what,
                round.contender().wire + ':',
                round.loaderCalls(),
                Report.micros(round.p50()),
                Report.micros(round.p99()),
                Report.micros(round.max()),
                round.maxLateMicros() / 1000.0,
                round.maxGcMillis(),
                round.firstLoadStartMicros() / 1000.0,
                round.lastLoadEndMicros() / 1000.0,
                IntStream.range(0, round.processP50Micros().length)
                        .mapToObj(i -> Report.plainMillis(round.processFirstMicros()[i]) + "/"
                                + Report.plainMillis(round.processP50Micros()[i]))
                        .collect(Collectors.joining(" ")),
                round.contender() == Contender.HUDDLE ? "; " + coordinator(round.coordinator()) : "",
                round.failures() == 0 ? "" : "; " + round.failures() + " USERS FAILED");
    }

    private static String coordinator(CoordinatorStatistics c) {
        return String.format(
                Locale.ROOT,
                "leases %d, waits on others %d, holders lost %d, leases lost %d, fallbacks %d",
                c.leasesTaken(),
                c.waitsOnOtherServers(),
                c.holdersLost(),
                c.leasesLost(),
                c.fallbacks());
    }

    private static Round round(
            List<WorkerProcess> workers,
            Settings settings,
            Contender contender,
            int keys,
            int roundId,
            boolean warmup) {
        long releaseAt = System.currentTimeMillis() + settings.releaseLead().toMillis();
        FleetProtocol.Round command = new FleetProtocol.Round(contender, keys, roundId, releaseAt);
        for (WorkerProcess worker : workers) {
            worker.send(FleetProtocol.format(command));
        }
        int calls = 0;
        int failures = 0;
        long late = 0;
        long gc = 0;
        long[] processFirst = new long[workers.size()];
        long[] processP50 = new long[workers.size()];
        long loadFrom = Long.MAX_VALUE;
        long loadTo = Long.MIN_VALUE;
        CoordinatorStatistics coordinator = CoordinatorStatistics.EMPTY;
        long[] waits = new long[0];
        for (WorkerProcess worker : workers) {
            Done done = FleetProtocol.parseDone(worker.next(ROUND_TIMEOUT));
            if (done.roundId() != roundId) {
                throw new IllegalStateException(
                        "worker " + worker.index + " answered round " + done.roundId() + " to round " + roundId);
            }
            calls += done.loaderCalls();
            failures += done.failures();
            late = Math.max(late, done.lateMicros());
            gc = Math.max(gc, done.gcMillis());
            if (done.loaderCalls() > 0) {
                loadFrom = Math.min(loadFrom, done.firstLoadStartMicros());
                loadTo = Math.max(loadTo, done.lastLoadEndMicros());
            }
            processFirst[worker.index] = done.waitMicros().length == 0 ? 0 : done.waitMicros()[0];
            processP50[worker.index] =
                    done.waitMicros().length == 0 ? 0 : FleetProtocol.percentile(done.waitMicros(), 50);
            coordinator = coordinator.plus(done.coordinator());
            long[] more = done.waitMicros();
            long[] all = Arrays.copyOf(waits, waits.length + more.length);
            System.arraycopy(more, 0, all, waits.length, more.length);
            waits = all;
        }
        Arrays.sort(waits);
        return new Round(
                contender,
                keys,
                roundId,
                warmup,
                calls,
                failures,
                late,
                gc,
                processFirst,
                processP50,
                calls == 0 ? -1 : loadFrom,
                calls == 0 ? -1 : loadTo,
                coordinator,
                waits);
    }

    private static void clean(WorkerProcess worker, PrintStream progress) {
        worker.send(FleetProtocol.format(new FleetProtocol.Clean()));
        String answer = worker.next(ROUND_TIMEOUT);
        if (!answer.equals("cleaned 0")) {
            progress.println("[huddle-bench] fleet: after deleting the run's keys, Redis answered '" + answer + "'");
        }
    }

    /** The command line that starts worker {@code index}. */
    static List<String> command(int index, Settings settings, URI redisUri, String prefix) {
        return WorkerProcess.javaCommand(
                settings.heap(),
                FleetWorker.class,
                List.of(
                        "index=" + index,
                        "users=" + settings.usersPerProcess(),
                        "loader-ms=" + settings.loaderDelay().toMillis(),
                        "redis=" + redisUri,
                        "prefix=" + prefix,
                        "pool=" + settings.redisPool()));
    }
}
