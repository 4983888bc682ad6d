package io.huddle.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * --quick}: 1 warm-up and 2 measurement iterations), then the stampede harness, and prints the ratio
 * table (Huddle / raw, both measured in this run) against DESIGN.md section 7's targets, and the
 * stampede table.
 *
 * <p>Usage: {@code java -jar huddle-benchmarks.jar [--quick] [--no-stampede] [JMH options]}. JMH
 * options (such as {@code -f 2}, {@code -wi 5}, {@code -prof gc}, or a regex selecting benchmarks)
 * take precedence over these defaults.
 */
public final class BenchmarkMain {
    private static final int[] STAMPEDE_USERS = {10, 100, 1000};
    private static final Duration STAMPEDE_LOADER_DELAY = Duration.ofMillis(50);

    private BenchmarkMain() {}

    public static void main(String[] args) throws RunnerException {
        boolean quick = false;
        boolean stampede = true;
        List<String> jmhArgs = new ArrayList<>();
        for (String arg : args) {
            switch (arg) {
                case "--quick" -> quick = true;
                case "--no-stampede" -> stampede = false;
                case "--help" -> {
                    usage();
                    return;
                }
                default -> jmhArgs.add(arg);
            }
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
        Collection<RunResult> results;
        try {
            results = new Runner(options(cli, quick, lookup)).run();
        } finally {
            lookup.redis().ifPresent(BenchmarkRedis::close);
        }

        List<Stampede.Result> stampedes = new ArrayList<>();
        if (stampede) {
            int rounds = quick ? 3 : 10;
            for (int users : STAMPEDE_USERS) {
                for (Stampede.Contender contender : Stampede.Contender.values()) {
                    System.out.printf(
                            "[huddle-bench] stampede: %d users, %s, %d rounds%n", users, contender.label, rounds);
                    stampedes.add(Stampede.run(contender, users, STAMPEDE_LOADER_DELAY, rounds));
                }
            }
        }

        System.out.println();
        System.out.print(Report.hits(scores(results), settings(results), redisNote));
        if (stampede) {
            System.out.println();
            System.out.print(Report.stampedes(stampedes, STAMPEDE_LOADER_DELAY));
        }
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
                Usage: java -jar huddle-benchmarks.jar [--quick] [--no-stampede] [JMH options]
                  --quick        1 warm-up and 2 measurement iterations (default 3 and 5, of 1 s each),
                                 3 stampede rounds (default 10)
                  --no-stampede  only the JMH hit benchmarks
                  JMH options (-f, -wi, -i, -w, -r, -prof, a benchmark regex...) override the defaults;
                  -h lists them.""");
    }
}
