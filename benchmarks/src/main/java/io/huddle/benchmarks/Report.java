package io.huddle.benchmarks;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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

    private static String method(String benchmark) {
        return benchmark.substring(benchmark.indexOf('.') + 1);
    }

    private static String millis(Duration duration) {
        return String.format(Locale.ROOT, "%.1f ms", duration.toNanos() / 1e6);
    }
}
