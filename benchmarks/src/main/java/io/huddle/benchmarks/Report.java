package io.huddle.benchmarks;

import io.huddle.core.cache.CoordinatorStatistics;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongFunction;
import org.openjdk.jmh.results.Result;

/** The tables {@link BenchmarkMain} prints. */
final class Report {
    private Report() {}

    /**
     * A Huddle benchmark, its raw baseline, and DESIGN.md section 7's bound on their ratio (NaN for a
     * diagnostic row, which has none).
     */
    record Comparison(String label, String huddle, String baseline, double target, String note) {
        Comparison(String label, String huddle, String baseline, double target) {
            this(label, huddle, baseline, target, "");
        }

        boolean hasTarget() {
            return !Double.isNaN(target);
        }
    }

    static final List<Comparison> COMPARISONS = List.of(
            new Comparison(
                    "Caffeine hit", "CaffeineHitBenchmark.engineHit", "CaffeineHitBenchmark.rawCaffeineHit", 1.5),
            new Comparison(
                    "(same job)",
                    "CaffeineHitBenchmark.engineHit",
                    "CaffeineHitBenchmark.rawExpiringCaffeineHit",
                    Double.NaN,
                    "diagnostic: against raw Caffeine with per-entry expiry and statistics"),
            new Comparison("Redis hit", "RedisHitBenchmark.engineHit", "RedisHitBenchmark.rawJedisGet", 1.15),
            new Comparison(
                    "(port only)",
                    "CaffeineHitBenchmark.portHit",
                    "CaffeineHitBenchmark.rawCaffeineHit",
                    Double.NaN,
                    "diagnostic: CaffeineCachePort.get alone, no engine"));

    /** A score with JMH's error (the half-width of its 99.9% confidence interval; NaN if unknown). */
    record Score(double mean, double error) {
        static Score of(Result<?> result) {
            return new Score(result.getScore(), result.getScoreError());
        }

        String format() {
            return Double.isNaN(error)
                    ? String.format(Locale.ROOT, "%.1f ± ?", mean)
                    : String.format(Locale.ROOT, "%.1f ± %.1f", mean, error);
        }
    }

    /** Huddle's time per call over the baseline's: above 1, Huddle is slower. */
    static double ratio(Score huddle, Score baseline) {
        return huddle.mean() / baseline.mean();
    }

    /** The lowest and highest ratio the two confidence intervals allow, or empty text if unknown. */
    static String ratioRange(Score huddle, Score baseline) {
        if (Double.isNaN(huddle.error()) || Double.isNaN(baseline.error()) || baseline.mean() - baseline.error() <= 0) {
            return "";
        }
        double low = (huddle.mean() - huddle.error()) / (baseline.mean() + baseline.error());
        double high = (huddle.mean() + huddle.error()) / (baseline.mean() - baseline.error());
        return String.format(Locale.ROOT, "%.2fx-%.2fx", low, high);
    }

    /** "within target" when the measured ratio is at most the target, else "above target". */
    static String verdict(double ratio, double target) {
        return ratio <= target ? "within target" : "above target";
    }

    /** The hit table, by {@code Class.method} name; a row that did not run says why. */
    static String hits(Map<String, Result<?>> scores, String settings, String redisNote) {
        StringBuilder out = new StringBuilder();
        out.append("Hit cost, average time per call in ns/op (lower is better); ratio = Huddle / baseline,\n")
                .append("both measured side by side in this run (")
                .append(settings)
                .append(").\n")
                .append("± is JMH's 99.9% confidence half-width; range = the ratios those intervals allow.\n\n");
        String format = "%-13s %-30s %-36s %-7s %-13s %-9s %s%n";
        out.append(String.format(
                Locale.ROOT,
                format,
                "benchmark",
                "Huddle (ns/op)",
                "baseline (ns/op)",
                "ratio",
                "range",
                "target",
                "verdict"));
        for (Comparison comparison : COMPARISONS) {
            Result<?> huddle = scores.get(comparison.huddle());
            Result<?> baseline = scores.get(comparison.baseline());
            String target =
                    comparison.hasTarget() ? String.format(Locale.ROOT, "<= %.2fx", comparison.target()) : "none";
            if (huddle == null || baseline == null) {
                String why = comparison.huddle().startsWith("Redis") && redisNote.startsWith("Redis rows skipped")
                        ? redisNote
                        : "not run (excluded by the options given)";
                out.append(String.format(Locale.ROOT, "%-13s %s%n", comparison.label(), why));
                continue;
            }
            Score h = Score.of(huddle);
            Score b = Score.of(baseline);
            double ratio = ratio(h, b);
            String verdict = comparison.hasTarget()
                    ? verdict(ratio, comparison.target())
                            + (straddles(h, b, comparison.target()) ? " (the range straddles the target)" : "")
                    : comparison.note();
            String range = ratioRange(h, b);
            out.append(String.format(
                    Locale.ROOT,
                    format,
                    comparison.label(),
                    method(comparison.huddle()) + " " + h.format(),
                    method(comparison.baseline()) + " " + b.format(),
                    String.format(Locale.ROOT, "%.2fx", ratio),
                    range,
                    target,
                    verdict));
        }
        return out.toString();
    }

    private static boolean straddles(Score huddle, Score baseline, double target) {
        String range = ratioRange(huddle, baseline);
        if (range.isEmpty()) {
            return false;
        }
        double low = (huddle.mean() - huddle.error()) / (baseline.mean() + baseline.error());
        double high = (huddle.mean() + huddle.error()) / (baseline.mean() - baseline.error());
        return low <= target && target < high;
    }

    /** The stampede table: one row per number of users and contender. */
    static String stampedes(List<Stampede.Result> results, Duration loaderDelay) {
        StringBuilder out = new StringBuilder();
        int rounds = results.isEmpty() ? 0 : results.get(0).rounds().size();
        out.append(String.format(
                Locale.ROOT,
                "Stampede: U users released together on one cold key; the loader sleeps %d ms; %d rounds, a new key"
                        + " each;%nwait = from the release until the last user has the value (p50 by nearest rank,"
                        + " max over the rounds).%n%n",
                loaderDelay.toMillis(),
                rounds));
        String format = "%-6s %-29s %-20s %-10s %s%n";
        out.append(String.format(Locale.ROOT, format, "users", "cache", "loader calls/round", "wait p50", "wait max"));
        for (Stampede.Result result : results) {
            String calls = result.minLoaderCalls() == result.maxLoaderCalls()
                    ? Integer.toString(result.minLoaderCalls())
                    : result.minLoaderCalls() + "-" + result.maxLoaderCalls();
            out.append(String.format(
                    Locale.ROOT,
                    format,
                    result.users(),
                    result.contender().label,
                    calls,
                    millis(result.medianWait()),
                    millis(result.maxWait())));
        }
        return out.toString();
    }

    /** The fleet's DESIGN.md section 7 bound on Huddle's p99 wait over the baseline's. */
    static final double FLEET_P99_TARGET = 1.2;

    /**
     * The fleet tables: per scenario and contender the loader calls and the users' waits (median
     * round, with the lowest and highest round), Huddle's p99 over Caffeine's p99 in the same round,
     * and what Huddle's coordinators did.
     */
    static String fleet(Fleet.Result result) {
        Fleet.Settings settings = result.settings();
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                Locale.ROOT,
                "Fleet: %d server processes x %d users = %d users on one Redis (%s),%n"
                        + "released together on cold keys; the loader sleeps %d ms.%n"
                        + "Huddle: per process one SharedCache over a near cache (Caffeine) and Redis (%d connections),%n%s.%n"
                        + "Baseline: per process one Caffeine cache, get(key, fn).%n"
                        + "%d first warm-up round(s), then per scenario %d warm-up round(s) (all discarded) and %d"
                        + " measured rounds per contender,%nfresh keys every round, contenders alternated; the run took"
                        + " %.0f s. wait = from the common release"
                        + " instant to the answer,%nover all %d users of a round (nearest rank). Each figure is the"
                        + " median round [lowest-highest];%nratio = Huddle p99 / Caffeine p99 of the same round;"
                        + " latest release = the latest any process let its users go.%n%n",
                settings.processes(),
                settings.usersPerProcess(),
                settings.users(),
                result.redis(),
                settings.loaderDelay().toMillis(),
                settings.redisPool(),
                "the Redis lease coordinator and the Redis invalidation bus",
                settings.firstWarmupRounds(),
                settings.warmupRounds(),
                settings.measuredRounds(),
                result.took().toMillis() / 1000.0,
                settings.users()));
        String format = "%-5s %-40s %-13s %-22s %-22s %s%n";
        out.append(String.format(
                Locale.ROOT,
                format,
                "keys",
                "contender",
                "loader calls",
                "wait p50 (ms)",
                "wait p99 (ms)",
                "latest release (max)"));
        for (Fleet.Scenario scenario : result.scenarios()) {
            for (FleetProtocol.Contender contender : FleetProtocol.Contender.values()) {
                List<Fleet.Round> rounds = scenario.measured(contender);
                out.append(String.format(
                        Locale.ROOT,
                        format,
                        scenario.keys(),
                        contender.label,
                        spread(
                                rounds.stream()
                                        .mapToLong(Fleet.Round::loaderCalls)
                                        .toArray(),
                                Long::toString),
                        spread(rounds.stream().mapToLong(Fleet.Round::p50).toArray(), Report::plainMillis),
                        spread(rounds.stream().mapToLong(Fleet.Round::p99).toArray(), Report::plainMillis),
                        "+"
                                + micros(rounds.stream()
                                        .mapToLong(Fleet.Round::maxLateMicros)
                                        .max()
                                        .orElse(0))));
            }
        }
        out.append('\n');
        String ratioFormat = "%-5s %-26s %-9s %-47s %s%n";
        out.append(String.format(
                Locale.ROOT,
                ratioFormat,
                "keys",
                "Huddle p99 / Caffeine p99",
                "target",
                "verdict",
                "Huddle loader calls per key (target 1)"));
        for (Fleet.Scenario scenario : result.scenarios()) {
            double[] ratios = pairedP99Ratios(scenario);
            Arrays.sort(ratios);
            double median = ratios[(ratios.length + 1) / 2 - 1];
            double low = ratios[0];
            double high = ratios[ratios.length - 1];
            String verdict = verdict(median, FLEET_P99_TARGET)
                    + (low <= FLEET_P99_TARGET && FLEET_P99_TARGET < high ? " (the range straddles the target)" : "");
            long[] calls = scenario.measured(FleetProtocol.Contender.HUDDLE).stream()
                    .mapToLong(Fleet.Round::loaderCalls)
                    .toArray();
            boolean onePerKey = Arrays.stream(calls).allMatch(c -> c == scenario.keys());
            out.append(String.format(
                    Locale.ROOT,
                    ratioFormat,
                    scenario.keys(),
                    String.format(Locale.ROOT, "%.2fx [%.2fx-%.2fx]", median, low, high),
                    String.format(Locale.ROOT, "<= %.2fx", FLEET_P99_TARGET),
                    verdict,
                    (onePerKey
                            ? "1 in every round: met"
                            : spread(calls, c -> c + "/" + scenario.keys()) + ": missed")));
        }
        out.append('\n');
        String statsFormat = "%-5s %-13s %-23s %-13s %-12s %s%n";
        out.append("Huddle's load coordinators, summed over the processes and the measured rounds:\n");
        out.append(String.format(
                Locale.ROOT,
                statsFormat,
                "keys",
                "leases taken",
                "waits on other servers",
                "holders lost",
                "leases lost",
                "fallbacks"));
        for (Fleet.Scenario scenario : result.scenarios()) {
            CoordinatorStatistics sum = scenario.measured(FleetProtocol.Contender.HUDDLE).stream()
                    .map(Fleet.Round::coordinator)
                    .reduce(CoordinatorStatistics.EMPTY, FleetProtocol::plus);
            out.append(String.format(
                    Locale.ROOT,
                    statsFormat,
                    scenario.keys(),
                    sum.leasesTaken(),
                    sum.waitsOnOtherServers(),
                    sum.holdersLost(),
                    sum.leasesLost(),
                    sum.fallbacks()));
        }
        long failures = result.scenarios().stream()
                .flatMap(scenario -> scenario.rounds().stream())
                .mapToLong(Fleet.Round::failures)
                .sum();
        if (failures > 0) {
            out.append(String.format(
                    Locale.ROOT, "%nWARNING: %d user requests failed (see the worker logs above)%n", failures));
        }
        return out.toString();
    }

    /** Huddle's p99 over Caffeine's p99, per measured round: the i-th round of each, run back to back. */
    static double[] pairedP99Ratios(Fleet.Scenario scenario) {
        List<Fleet.Round> huddle = scenario.measured(FleetProtocol.Contender.HUDDLE);
        List<Fleet.Round> caffeine = scenario.measured(FleetProtocol.Contender.CAFFEINE);
        double[] ratios = new double[Math.min(huddle.size(), caffeine.size())];
        for (int i = 0; i < ratios.length; i++) {
            ratios[i] = (double) huddle.get(i).p99() / caffeine.get(i).p99();
        }
        return ratios;
    }

    /** The median of the values, by nearest rank, with the lowest and highest: "4" when all are equal. */
    static String spread(long[] values, LongFunction<String> format) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        if (sorted.length == 0) {
            return "-";
        }
        long median = sorted[(sorted.length + 1) / 2 - 1];
        if (sorted[0] == sorted[sorted.length - 1]) {
            return format.apply(median);
        }
        return format.apply(median) + " [" + format.apply(sorted[0]) + "-" + format.apply(sorted[sorted.length - 1])
                + "]";
    }

    /** Microseconds as milliseconds with one decimal, without the unit. */
    static String plainMillis(long micros) {
        return String.format(Locale.ROOT, "%.1f", micros / 1000.0);
    }

    /** Microseconds as milliseconds with one decimal. */
    static String micros(long micros) {
        return String.format(Locale.ROOT, "%.1f ms", micros / 1000.0);
    }

    private static String method(String benchmark) {
        return benchmark.substring(benchmark.indexOf('.') + 1);
    }

    private static String millis(Duration duration) {
        return String.format(Locale.ROOT, "%.1f ms", duration.toNanos() / 1e6);
    }
}
