package io.huddle.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the hit benchmarks through JMH (one fork, 3 x 1 s warm-up, 5 x 1 s measurement; {@code
 * --quick}: 1 warm-up and 2 measurement iterations), then the stampede harness, then the server
 * load run (1000 HTTP users on the chatbot's server beside the same users in-process, see {@link
 * ServerLoad}), then the fleet (4 server processes x 250 users on one Redis, see {@link Fleet}),
 * then the replay (a synthetic chatbot workload with warming and prefetch off and on, and a server
 * restarted from its snapshot, see {@link Replay} and {@link Restart}), then the fault run (4 server
 * processes x 250 users through Redis killed and restarted and the provider failing, see {@link
 * Faults}), and prints the ratio table (Huddle / raw, both measured in
 * this run) against the project's performance targets, the stampede table, the server load tables,
 * the fleet tables and the fault tables.
 *
 * <p>Usage: {@code java -jar huddle-benchmarks.jar [--quick] [--no-stampede] [--no-server |
 * --only-server] [--server-rounds N] [--no-fleet | --only-fleet] [--fleet-rounds N] [--fleet-pool N]
 * [--no-replay | --only-replay] [--replay-questions N] [--replay-zipf S] [--replay-minutes M] [--no-faults |
 * --only-faults] [--faults-phase S] [JMH options]}. JMH options (such as {@code -f 2}, {@code -wi 5}, {@code -prof gc}, or a regex
 * selecting benchmarks) take precedence over these defaults.
 */
public final class BenchmarkMain {
    private static final int[] STAMPEDE_USERS = {10, 100, 1000};
    private static final Duration STAMPEDE_LOADER_DELAY = Duration.ofMillis(50);

    private BenchmarkMain() {}

    public static void main(String[] args) throws RunnerException {
        boolean quick = false;
        boolean stampede = true;
        boolean fleet = true;
        boolean onlyFleet = false;
        int fleetRounds = 0;
        int fleetPool = 16;
        boolean faults = true;
        boolean onlyFaults = false;
        boolean server = true;
        boolean onlyServer = false;
        int serverRounds = 0;
        boolean replay = true;
        boolean onlyReplay = false;
        int replayQuestions = 0;
        double replayExponent = Replay.Settings.EXPONENT;
        int replayMinutes = 0;
        int faultsPhaseSeconds = 0;
        List<String> jmhArgs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--no-stampede" -> stampede = false;
                case "--no-fleet" -> fleet = false;
                case "--only-fleet" -> onlyFleet = true;
                case "--fleet-rounds" -> {
                    if (i + 1 == args.length || !args[i + 1].matches("[1-9][0-9]{0,3}")) {
                        System.err.println("--fleet-rounds needs a positive number");
                        usage();
                        System.exit(2);
                        return;
                    }
                    fleetRounds = Integer.parseInt(args[++i]);
                }
                case "--fleet-pool" -> {
                    if (i + 1 == args.length || !args[i + 1].matches("[1-9][0-9]{0,3}")) {
                        System.err.println("--fleet-pool needs a positive number");
                        usage();
                        System.exit(2);
                        return;
                    }
                    fleetPool = Integer.parseInt(args[++i]);
                }
                case "--no-server" -> server = false;
                case "--only-server" -> onlyServer = true;
                case "--server-rounds" -> {
                    if (i + 1 == args.length || !args[i + 1].matches("[1-9][0-9]{0,2}")) {
                        System.err.println("--server-rounds needs a positive number");
                        usage();
                        System.exit(2);
                        return;
                    }
                    serverRounds = Integer.parseInt(args[++i]);
                }
                case "--no-replay" -> replay = false;
                case "--only-replay" -> onlyReplay = true;
                case "--replay-questions" -> {
                    if (i + 1 == args.length || !args[i + 1].matches("[1-9][0-9]{0,5}")) {
                        System.err.println("--replay-questions needs a positive number");
                        usage();
                        System.exit(2);
                        return;
                    }
                    replayQuestions = Integer.parseInt(args[++i]);
                }
                case "--replay-zipf" -> {
                    if (i + 1 == args.length || !args[i + 1].matches("[0-9]{1,2}(\\.[0-9]{1,3})?")) {
                        System.err.println("--replay-zipf needs an exponent such as 1.1");
                        usage();
                        System.exit(2);
                        return;
                    }
                    replayExponent = Double.parseDouble(args[++i]);
                }
                case "--replay-minutes" -> {
                    if (i + 1 == args.length || !args[i + 1].matches("[1-9][0-9]{0,3}")) {
                        System.err.println("--replay-minutes needs a positive number of simulated minutes");
                        usage();
                        System.exit(2);
                        return;
                    }
                    replayMinutes = Integer.parseInt(args[++i]);
                }
                case "--no-faults" -> faults = false;
                case "--only-faults" -> onlyFaults = true;
                case "--faults-phase" -> {
                    if (i + 1 == args.length || !args[i + 1].matches("[1-9][0-9]{0,2}")) {
                        System.err.println("--faults-phase needs a number of seconds");
                        usage();
                        System.exit(2);
                        return;
                    }
                    faultsPhaseSeconds = Integer.parseInt(args[++i]);
                    if (faultsPhaseSeconds < 5) {
                        System.err.println("--faults-phase needs at least 5 seconds");
                        System.exit(2);
                        return;
                    }
                }
                case "--help" -> {
                    usage();
                    return;
                }
                default -> jmhArgs.add(args[i]);
            }
        }
        if (onlyFleet && !fleet) {
            System.err.println("--only-fleet and --no-fleet exclude each other");
            System.exit(2);
            return;
        }
        if (onlyFaults && !faults) {
            System.err.println("--only-faults and --no-faults exclude each other");
            System.exit(2);
            return;
        }
        if (onlyFaults && onlyFleet) {
            System.err.println("--only-faults and --only-fleet exclude each other");
            System.exit(2);
            return;
        }
        if (onlyServer && !server) {
            System.err.println("--only-server and --no-server exclude each other");
            System.exit(2);
            return;
        }
        if (onlyServer && (onlyFleet || onlyFaults)) {
            System.err.println("--only-server excludes --only-fleet and --only-faults");
            System.exit(2);
            return;
        }
        if (onlyReplay && !replay) {
            System.err.println("--only-replay and --no-replay exclude each other");
            System.exit(2);
            return;
        }
        if (onlyReplay && (onlyServer || onlyFleet || onlyFaults)) {
            System.err.println("--only-replay excludes --only-server, --only-fleet and --only-faults");
            System.exit(2);
            return;
        }
        if (onlyServer) {
            runServerLoad(quick, serverRounds);
            return;
        }
        if (onlyReplay) {
            runReplay(quick, replayQuestions, replayExponent, replayMinutes);
            return;
        }
        if (onlyFaults) {
            runFaults(faultsPhaseSeconds > 0 ? faultsPhaseSeconds : quick ? 10 : 20);
            return;
        }
        CommandLineOptions cli;
        try {
            cli = new CommandLineOptions(jmhArgs.toArray(String[]::new));
        } catch (CommandLineOptionException e) {
            System.err.println("Bad JMH option: " + e.getMessage());
            usage();
            System.exit(2);
            return;
        }
        if (cli.shouldHelp()) {
            usage();
            try {
                cli.showHelp();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return;
        }

        BenchmarkRedis.Lookup lookup = BenchmarkRedis.find();
        String redisNote = lookup.redis()
                .map(redis -> "Redis: " + redis.description())
                .orElse("Redis rows skipped: " + lookup.whyNone());
        System.out.println("[huddle-bench] " + redisNote);
        Collection<RunResult> results = List.of();
        List<Stampede.Result> stampedes = new ArrayList<>();
        Fleet.Result fleetResult = null;
        ServerLoad.Result serverResult = null;
        try {
            if (!onlyFleet) {
                results = new Runner(options(cli, quick, lookup)).run();
                if (stampede) {
                    int rounds = quick ? 3 : 10;
                    for (int users : STAMPEDE_USERS) {
                        for (Stampede.Contender contender : Stampede.Contender.values()) {
                            System.out.printf(
                                    "[huddle-bench] stampede: %d users, %s, %d rounds%n",
                                    users, contender.label, rounds);
                            stampedes.add(Stampede.run(contender, users, STAMPEDE_LOADER_DELAY, rounds));
                        }
                    }
                }
                if (server) {
                    serverResult = ServerLoad.run(serverLoadSettings(quick, serverRounds), System.out);
                }
            }
            if (fleet && lookup.redis().isPresent()) {
                BenchmarkRedis redis = lookup.redis().get();
                int measured = fleetRounds > 0 ? fleetRounds : quick ? 2 : 5;
                fleetResult = Fleet.run(
                        fleetSettings(quick ? 2 : 3, measured, fleetPool),
                        redis.uri(),
                        redis.description(),
                        System.out);
            }
        } finally {
            lookup.redis().ifPresent(BenchmarkRedis::close);
        }

        if (!onlyFleet) {
            System.out.println();
            System.out.print(Report.hits(scores(results), settings(results), redisNote));
            if (stampede) {
                System.out.println();
                System.out.print(Report.stampedes(stampedes, STAMPEDE_LOADER_DELAY));
            }
            if (serverResult != null) {
                System.out.println();
                System.out.print(Report.serverLoad(serverResult));
            }
        }
        if (fleet) {
            System.out.println();
            System.out.print(fleetResult != null ? Report.fleet(fleetResult) : "Fleet skipped: " + redisNote + "\n");
        }
        if (replay && !onlyFleet) {
            runReplay(quick, replayQuestions, replayExponent, replayMinutes);
        }
        if (faults && !onlyFleet) {
            runFaults(faultsPhaseSeconds > 0 ? faultsPhaseSeconds : quick ? 10 : 20);
        }
    }

    /** The server load run alone, and its tables. */
    private static void runServerLoad(boolean quick, int rounds) {
        ServerLoad.Result result = ServerLoad.run(serverLoadSettings(quick, rounds), System.out);
        System.out.println();
        System.out.print(Report.serverLoad(result));
    }

    /**
     * The replay run (warming and prefetch off, then on; see {@link Replay}) and the restart run (a
     * server restarted from its snapshot; see {@link Restart}), and their tables: 10,000 questions by
     * default, 2,000 with {@code --quick}.
     */
    private static void runReplay(boolean quick, int questions, double exponent, int minutes) {
        Replay.Result result = Replay.run(
                Replay.Settings.of(
                        questions > 0 ? questions : quick ? 2_000 : 10_000,
                        exponent,
                        minutes > 0 ? minutes : Replay.Settings.MINUTES),
                System.out);
        System.out.println();
        System.out.print(Report.replay(result));
        Restart.Result restart = Restart.run(Restart.Settings.of(2_000, 1_000), System.out);
        System.out.println();
        System.out.print(Report.restart(restart));
    }

    /**
     * 1000 users, the simulator answering in 50 ms, a plan of a million requests a minute; 1 warm-up
     * round, then the rounds asked for (default 5, 2 with {@code --quick}).
     */
    static ServerLoad.Settings serverLoadSettings(boolean quick, int rounds) {
        return new ServerLoad.Settings(1000, Duration.ofMillis(50), 1_000_000, 1, rounds > 0 ? rounds : quick ? 2 : 5);
    }

    /** The fault run with phases of the given length, and its tables; or why it cannot run here. */
    private static void runFaults(int phaseSeconds) {
        System.out.println();
        Optional<String> whyNot = Faults.whyNot();
        if (whyNot.isPresent()) {
            System.out.println("Faults skipped: " + whyNot.get());
            return;
        }
        Faults.Result result = Faults.run(Faults.Settings.of(Duration.ofSeconds(phaseSeconds)), System.out);
        System.out.println();
        System.out.print(Report.faults(result));
    }

    /**
     * 4 processes x 250 users, a 200 ms loader, 1 and 10 cold keys; the first warm-up rounds, then 1
     * warm-up round per scenario.
     */
    static Fleet.Settings fleetSettings(int firstWarmupRounds, int measuredRounds, int redisPool) {
        return new Fleet.Settings(
                4,
                250,
                Duration.ofMillis(200),
                List.of(1, 10),
                firstWarmupRounds,
                1,
                measuredRounds,
                Duration.ofSeconds(1),
                redisPool,
                "256m");
    }

    private static org.openjdk.jmh.runner.options.Options options(
            CommandLineOptions cli, boolean quick, BenchmarkRedis.Lookup lookup) {
        ChainedOptionsBuilder options = new OptionsBuilder().parent(cli).shouldFailOnError(true);
        if (cli.getIncludes().isEmpty()) {
            options.include(classPattern(CaffeineHitBenchmark.class));
            options.include(classPattern(RedisHitBenchmark.class));
        }
        if (lookup.redis().isEmpty()) {
            options.exclude(classPattern(RedisHitBenchmark.class));
        }
        if (!cli.getForkCount().hasValue()) {
            options.forks(1);
        }
        if (!cli.getWarmupIterations().hasValue()) {
            options.warmupIterations(quick ? 1 : 3);
        }
        if (!cli.getWarmupTime().hasValue()) {
            options.warmupTime(TimeValue.seconds(1));
        }
        if (!cli.getMeasurementIterations().hasValue()) {
            options.measurementIterations(quick ? 2 : 5);
        }
        if (!cli.getMeasurementTime().hasValue()) {
            options.measurementTime(TimeValue.seconds(1));
        }
        List<String> forkArgs = new ArrayList<>(cli.getJvmArgsAppend().orElse(List.of()));
        forkArgs.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        if (Runtime.version().feature() >= 24) {
            forkArgs.add("--sun-misc-unsafe-memory-access=allow");
        }
        lookup.redis()
                .filter(redis -> System.getenv("REDIS_URL") == null
                        || System.getenv("REDIS_URL").isBlank())
                .ifPresent(redis -> forkArgs.add("-D" + BenchmarkRedis.URI_PROPERTY + '=' + redis.uri()));
        options.jvmArgsAppend(forkArgs.toArray(String[]::new));
        return options.build();
    }

    private static String classPattern(Class<?> type) {
        return '^' + Pattern.quote(type.getName() + '.');
    }

    /** The primary result of each benchmark that ran, by its simple {@code Class.method} name. */
    private static Map<String, Result<?>> scores(Collection<RunResult> results) {
        Map<String, Result<?>> scores = new HashMap<>();
        for (RunResult result : results) {
            String benchmark = result.getParams().getBenchmark();
            String name = benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1);
            scores.put(name, result.getPrimaryResult());
        }
        return scores;
    }

    /** The JMH settings the results were measured with, as one line. */
    private static String settings(Collection<RunResult> results) {
        return results.stream()
                .findFirst()
                .map(RunResult::getParams)
                .map(params -> String.format(
                        "JMH %s, %s, %d fork(s), %d x %s warm-up, %d x %s measurement, %d thread(s)",
                        params.getJmhVersion(),
                        params.getJdkVersion() + " " + params.getVmName(),
                        params.getForks(),
                        params.getWarmup().getCount(),
                        params.getWarmup().getTime(),
                        params.getMeasurement().getCount(),
                        params.getMeasurement().getTime(),
                        params.getThreads()))
                .orElse("no JMH benchmark ran");
    }

    private static void usage() {
        System.out.println("""
                Usage: java -jar huddle-benchmarks.jar [--quick] [--no-stampede]
                                                       [--no-server | --only-server] [--server-rounds N]
                                                       [--no-fleet | --only-fleet] [--fleet-rounds N] [--fleet-pool N]
                                                       [--no-replay | --only-replay] [--replay-questions N] [--replay-zipf S] [--replay-minutes M]
                                                       [--no-faults | --only-faults] [--faults-phase S] [JMH options]
                  --quick           1 warm-up and 2 measurement iterations (default 3 and 5, of 1 s each),
                                    3 stampede rounds (default 10), 2 measured server load rounds (default 5),
                                    2+1 fleet warm-up rounds (default 3+1), 2 measured fleet rounds
                                    (default 5) and fault phases of 10 s (default 20)
                  --no-stampede     no stampede run
                  --no-server       no server load run (1000 users on the chatbot's HTTP server, in this JVM,
                                    beside the same users calling its service in-process)
                  --only-server     only the server load run: no JMH, no stampede, no fleet, no fault run
                  --server-rounds N measured server load rounds (after 1 warm-up round)
                  --no-fleet        no fleet run (4 worker JVMs x 250 users on one Redis)
                  --only-fleet      only the fleet run: no JMH, no stampede, no server load, no fault run
                  --fleet-rounds N  measured fleet rounds per scenario and contender
                  --fleet-pool N    Redis connections of each fleet process (default 16, the port's default)
                  --no-replay       no replay run (a synthetic chatbot workload on simulated time, warming and
                                    prefetch off then on) and no restart run (a server restarted from its snapshot)
                  --only-replay     only the replay and restart runs: no JMH, no stampede, no server load,
                                    no fleet, no fault run
                  --replay-questions N questions of the replay (default 10,000; 2,000 with --quick)
                  --replay-zipf S   the exponent of the players' popularity in the replay (default 1.1)
                  --replay-minutes M the simulated minutes the replay's questions are spread over (default
                                    240, four ttls of the players' statistics; 10 asks the questions faster
                                    than the plan can answer them cold)
                  --no-faults       no fault run (4 worker JVMs x 250 users; Redis killed and restarted,
                                    the provider failing; needs redis-server on the PATH)
                  --only-faults     only the fault run: no JMH, no stampede, no server load, no fleet
                  --faults-phase S  seconds per fault phase, at least 5 (default 20; 10 with --quick)
                  JMH options (-f, -wi, -i, -w, -r, -prof, a benchmark regex...) override the defaults;
                  -h lists them.""");
    }
}
