package io.huddle.benchmarks;

import io.huddle.core.spi.CoordinatorStatistics;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongFunction;
import java.util.stream.Collectors;
import org.openjdk.jmh.results.Result;

/** The tables {@link BenchmarkMain} prints. */
final class Report {
    private Report() {}

    /**
     * A Huddle benchmark, its raw baseline, and the performance target's bound on their
     * ratio (NaN for a
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
                    "Caffeine hit", "CaffeineHitBenchmark.engineHit", "CaffeineHitBenchmark.rawCaffeineHit", 2.0),
            new Comparison(
                    "(same job)",
                    "CaffeineHitBenchmark.engineHit",
                    "CaffeineHitBenchmark.rawExpiringCaffeineHit",
                    1.0,
                    "against raw Caffeine with per-entry expiry and statistics"),
            new Comparison("Redis hit", "RedisHitBenchmark.engineHit", "RedisHitBenchmark.rawJedisGet", 1.15),
            new Comparison(
                    "(port only)",
                    "CaffeineHitBenchmark.idPortHit",
                    "CaffeineHitBenchmark.rawCaffeineHit",
                    Double.NaN,
                    "diagnostic: CaffeineCachePort.getOrNull(kind, id) alone, the hit path's read, no engine"),
            new Comparison(
                    "(clock only)",
                    "CaffeineHitBenchmark.clockReading",
                    "CaffeineHitBenchmark.rawCaffeineHit",
                    Double.NaN,
                    "diagnostic: one clock reading, which a hit on the system clock no longer makes"),
            new Comparison(
                    "(count only)",
                    "CaffeineHitBenchmark.hitCounting",
                    "CaffeineHitBenchmark.rawCaffeineHit",
                    Double.NaN,
                    "diagnostic: one LongAdder increment, the exact hit count a raw lookup skips"));

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

    /**
     * The fleet's performance target for a scenario: the bound on Huddle's p99 wait over the
     * baseline's, 1.0x with one key (one load and its hand-over against a load on every server) and
     * 1.2x with more.
     */
    static double fleetP99Target(int keys) {
        return keys == 1 ? 1.0 : 1.2;
    }

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
            double target = fleetP99Target(scenario.keys());
            String verdict = verdict(median, target)
                    + (low <= target && target < high ? " (the range straddles the target)" : "");
            long[] calls = scenario.measured(FleetProtocol.Contender.HUDDLE).stream()
                    .mapToLong(Fleet.Round::loaderCalls)
                    .toArray();
            boolean onePerKey = Arrays.stream(calls).allMatch(c -> c == scenario.keys());
            out.append(String.format(
                    Locale.ROOT,
                    ratioFormat,
                    scenario.keys(),
                    ratioSpread(ratios),
                    String.format(Locale.ROOT, "<= %.2fx", target),
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
                    .reduce(CoordinatorStatistics.EMPTY, CoordinatorStatistics::plus);
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

    /** The width of a metric's label in the fault tables. */
    private static final int FAULT_LABEL = 44;

    /**
     * The fault tables: per phase (columns) what the users got, what the engines and budgets did and
     * what the provider saw; the failed answers by type; and a verdict per fault target.
     */
    static String faults(Faults.Result result) {
        Faults.Settings settings = result.settings();
        List<Faults.PhaseResult> phases = result.phases();
        long[] boundaries = result.boundaries();
        long[] requestTimes = FaultsAnalysis.requestTimes(result.events());
        List<FaultsAnalysis.HeldFresh> needless = FaultsAnalysis.needless(
                result.events(), settings::ttlOf, io.huddle.sports.SportsPolicies.PLAYER_STATS.jitter());
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                Locale.ROOT,
                "Faults: %d server processes x %d users = %d users; one API key on a plan of %d requests a minute"
                        + " (the upstream simulator,%nlatency %d ms); Redis %s.%n"
                        + "Each server: SportsStatsService over a SharedCache on a near cache (Caffeine + Redis), the Redis"
                        + " lease coordinator and bus,%nBalldontlieClient (name search) on the Redis upstream budget shared"
                        + " by the %d servers.%n"
                        + "Users pause %d-%d ms, then ask a popular comparison (%d pairs of %d named players) or, about"
                        + " %.1f a second across the fleet,%na long-tail question (stats of one of %d other players, or"
                        + " two compared). Player stats fresh for %d s (the sports default: 1 h),%n"
                        + "stale-if-error and every other policy the sports default. Phases of %.0f s; the run took %.0f"
                        + " s; server logs in %s.%nAn answer counts in the phase its question was asked in; \"popular\" = cached before the"
                        + " faults (loaded in phase 1).%n%n",
                settings.servers(),
                settings.usersPerServer(),
                settings.users(),
                Faults.PLAN_PER_MINUTE,
                settings.latency().toMillis(),
                result.redis(),
                settings.servers(),
                settings.thinkMin().toMillis(),
                settings.thinkMax().toMillis(),
                Faults.popularPairs().size(),
                Faults.POPULAR.size(),
                settings.longTailPerSecond(),
                result.longTailPlayers(),
                settings.statsTtl().toSeconds(),
                settings.phaseLength().toMillis() / 1000.0,
                result.took().toMillis() / 1000.0,
                result.logs()));
        for (Faults.PhaseResult phase : phases) {
            out.append(String.format(
                    Locale.ROOT,
                    "  %-18s %s%n",
                    phase.phase().column,
                    phase.phase().description(settings)));
        }
        out.append('\n');
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-" + FAULT_LABEL + "s", "phase"));
        phases.forEach(phase -> header.append(String.format(Locale.ROOT, " %-10s", phase.phase().column)));
        out.append(header.toString().stripTrailing()).append('\n');
        List<FaultRow> rows = List.of(
                new FaultRow(
                        "phase length (s)",
                        p -> String.format(Locale.ROOT, "%.1f", p.length().toMillis() / 1000.0)),
                new FaultRow(
                        "popular answers",
                        p -> Long.toString(p.fleet().popular().total())),
                new FaultRow("  failed", p -> Long.toString(p.fleet().popular().failures())),
                new FaultRow(
                        "  answer time p50 (ms)",
                        p -> plainMillis(p.fleet().popular().latency().percentile(50))),
                new FaultRow(
                        "  answer time p99 (ms)",
                        p -> plainMillis(p.fleet().popular().latency().percentile(99))),
                new FaultRow(
                        "  longest answer (ms)",
                        p -> plainMillis(p.fleet().popular().latency().maxMicros())),
                new FaultRow(
                        "  answers over 1 s",
                        p -> Long.toString(p.fleet().popular().slow())),
                new FaultRow(
                        "long-tail answers",
                        p -> Long.toString(p.fleet().longTail().total())),
                new FaultRow("  failed", p -> Long.toString(p.fleet().longTail().failures())),
                new FaultRow(
                        "served stale (engines' staleServed)",
                        p -> Long.toString(p.fleet().engine().staleServed())),
                new FaultRow(
                        "  of them fail-safe throttled",
                        p -> Long.toString(p.fleet().engine().failSafeThrottled())),
                new FaultRow(
                        "loads abandoned", p -> Long.toString(p.fleet().engine().loadsAbandoned())),
                new FaultRow(
                        "upstream requests (simulator)",
                        p -> Long.toString(p.upstream().total())),
                new FaultRow(
                        "  sent (servers: permits taken)",
                        p -> Long.toString(Arrays.stream(requestTimes)
                                .filter(t -> t >= p.startMillis() && t < p.endMillis())
                                .count())),
                new FaultRow(
                        "  sent for popular items (servers)",
                        p -> Long.toString(
                                Faults.popularRequests(result, p.phase().ordinal(), needless)
                                        .sent())),
                new FaultRow(
                        "    while a server held the item fresh",
                        p -> Long.toString(
                                Faults.popularRequests(result, p.phase().ordinal(), needless)
                                        .needless())),
                new FaultRow(
                        "most sent in a 60 s window (servers)",
                        p -> Integer.toString(
                                FaultsAnalysis.maxInWindow(requestTimes, 60_000, p.startMillis(), p.endMillis()))),
                new FaultRow(
                        "most accepted in a 60 s window (simulator)",
                        p -> Integer.toString(p.upstream().maxAcceptedInAnyMinute())),
                new FaultRow(
                        "429s from the provider",
                        p -> Long.toString(p.upstream().rateLimited())),
                new FaultRow(
                        "budget: no permit, not sent",
                        p -> Long.toString(p.fleet().budget().refused())),
                new FaultRow(
                        "budget: permits from a server's share",
                        p -> Long.toString(p.fleet().budget().fallbackPermits())),
                new FaultRow(
                        "leases: in-process fallbacks",
                        p -> Long.toString(p.fleet().coordinator().fallbacks())),
                new FaultRow(
                        "written back to Redis (refused as older)",
                        p -> p.fleet().writeBack().written()
                                + (p.fleet().writeBack().refusedAsOlder() == 0
                                        ? ""
                                        : " (" + p.fleet().writeBack().refusedAsOlder() + ")")));
        for (FaultRow row : rows) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-" + FAULT_LABEL + "s", row.label()));
            phases.forEach(phase ->
                    line.append(String.format(Locale.ROOT, " %-10s", row.cell().apply(phase))));
            out.append(line.toString().stripTrailing()).append('\n');
        }
        out.append(
                String.format(
                        Locale.ROOT,
                        "%nThe simulator's counters are reset as each phase starts: its \"most accepted in a 60 s window\" is over"
                                + " the windows%nending within the phase, which reach back into the phases before; so is \"most"
                                + " sent\", from every request%nthe servers sent (a permit of the budget taken).%n"
                                + "\"While a server held the item fresh\": requests for a popular item sent less than its shortest"
                                + " freshness (ttl less%njitter) after a call of the provider had loaded it on some server.%n%n"));

        out.append("Failed answers by type (popular | long tail):\n");
        for (Faults.PhaseResult phase : phases) {
            out.append(String.format(
                    Locale.ROOT,
                    "  %-18s %s | %s%n",
                    phase.phase().column,
                    failures(phase.fleet().popular()),
                    failures(phase.fleet().longTail())));
        }
        Faults.PhaseResult restart = phases.get(Faults.Phase.REDIS_RESTARTED.ordinal());
        out.append(String.format(
                Locale.ROOT,
                "Written back per server in %s (stored / refused as older): %s%n",
                restart.phase().column,
                restart.servers().stream()
                        .map(r -> r.writeBack().written() + "/" + r.writeBack().refusedAsOlder())
                        .collect(Collectors.joining(", "))));
        out.append(popularRequestList(result, needless));
        if (result.unanswered() > 0) {
            out.append(String.format(
                    Locale.ROOT,
                    "WARNING: %d users still had no answer %d s after the run ended (not counted above)%n",
                    result.unanswered(),
                    FaultsWorker.STOP_GRACE.toSeconds()));
        }
        out.append('\n');

        long popularFailed = phases.stream()
                .filter(p -> p.phase().afterWarmUp())
                .mapToLong(p -> p.fleet().popular().failures())
                .sum();
        int mostSent = FaultsAnalysis.maxInWindow(requestTimes, 60_000, boundaries[0], Long.MAX_VALUE);
        int mostAccepted = phases.stream()
                .mapToInt(p -> p.upstream().maxAcceptedInAnyMinute())
                .max()
                .orElse(0);
        long storm429 =
                phases.get(Faults.Phase.UPSTREAM_429.ordinal()).upstream().rateLimited();
        long other429 = phases.stream()
                .filter(p -> p.phase() != Faults.Phase.UPSTREAM_429)
                .mapToLong(p -> p.upstream().rateLimited())
                .sum();
        Faults.PopularRequests refill =
                Faults.popularRequests(result, Faults.Phase.REDIS_RESTARTED.ordinal(), needless);
        String verdictFormat = "%-72s %-46s %s%n";
        out.append(String.format(Locale.ROOT, verdictFormat, "target under faults", "measured", "verdict"));
        out.append(String.format(
                Locale.ROOT,
                verdictFormat,
                "0 failed answers for items cached before the fault (phases 2-7)",
                popularFailed + " of "
                        + phases.stream()
                                .filter(p -> p.phase().afterWarmUp())
                                .mapToLong(p -> p.fleet().popular().total())
                                .sum(),
                popularFailed == 0 ? "met" : "missed"));
        out.append(String.format(
                Locale.ROOT,
                verdictFormat,
                "upstream within the plan (" + Faults.PLAN_PER_MINUTE + ") in every 60 s window",
                "at most " + mostSent + " sent, " + mostAccepted + " accepted",
                mostSent <= Faults.PLAN_PER_MINUTE && mostAccepted <= Faults.PLAN_PER_MINUTE ? "met" : "missed"));
        out.append(String.format(
                Locale.ROOT,
                verdictFormat,
                "0 429s from the provider (all phases but 6, whose limit is cut)",
                other429 + " (phase 6, induced: " + storm429 + ")",
                other429 == 0 ? "met" : "missed"));
        out.append(String.format(
                Locale.ROOT,
                verdictFormat,
                "0 upstream calls to refill Redis after its restart, for items held",
                refill.needless() + " (of " + refill.sent() + " requests for popular items in phase "
                        + (Faults.Phase.REDIS_RESTARTED.ordinal() + 1) + ")",
                refill.needless() == 0 ? "met" : "missed"));
        return out.toString();
    }

    /** The most requests for popular items listed per phase. */
    private static final int LISTED_REQUESTS = 24;

    /**
     * Every request for popular items after the warm-up, by phase: when (from the phase's start), which
     * server, for what, and if a server held the item fresh, which call had loaded it.
     */
    private static String popularRequestList(Faults.Result result, List<FaultsAnalysis.HeldFresh> needless) {
        Map<FaultsProtocol.UpstreamEvent, FaultsAnalysis.HeldFresh> held = new java.util.HashMap<>();
        needless.forEach(n -> held.put(n.request(), n));
        StringBuilder out = new StringBuilder(
                "Requests for popular items after the warm-up (s from the phase's start, server, items):");
        int listed = out.length();
        for (Faults.PhaseResult phase : result.phases()) {
            if (!phase.phase().afterWarmUp()) {
                continue;
            }
            List<FaultsProtocol.UpstreamEvent> requests = result.events().stream()
                    .filter(e -> e.kind() == FaultsProtocol.EventKind.POPULAR_REQUEST
                            && e.atMillis() >= phase.startMillis()
                            && e.atMillis() < phase.endMillis())
                    .toList();
            if (requests.isEmpty()) {
                continue;
            }
            out.append(String.format(Locale.ROOT, "%n  %s:", phase.phase().column));
            requests.stream().limit(LISTED_REQUESTS).forEach(e -> {
                FaultsAnalysis.HeldFresh fresh = held.get(e);
                out.append('\n');
                out.append(String.format(
                                Locale.ROOT,
                                "    +%.2f s  server %d  %-20s %s",
                                (e.atMillis() - phase.startMillis()) / 1000.0,
                                e.server(),
                                String.join(" ", e.items()),
                                fresh != null
                                        ? String.format(
                                                Locale.ROOT,
                                                "held fresh: %s loaded by server %d %.2f s before",
                                                fresh.item(),
                                                fresh.loaded().server(),
                                                (e.atMillis() - fresh.loaded().atMillis()) / 1000.0)
                                        : FaultsAnalysis.lastLoadBefore(result.events(), e)
                                                .map(last -> String.format(
                                                        Locale.ROOT,
                                                        "due: last loaded by server %d %.2f s before",
                                                        last.server(),
                                                        (e.atMillis() - last.atMillis()) / 1000.0))
                                                .orElse("due: never loaded before"))
                        .stripTrailing());
            });
            if (requests.size() > LISTED_REQUESTS) {
                out.append(String.format(Locale.ROOT, "%n    ... and %d more", requests.size() - LISTED_REQUESTS));
            }
        }
        return (out.length() == listed ? out.append(" none") : out).append('\n').toString();
    }

    /** A row of the fault table: its label and its cell in each phase. */
    private record FaultRow(String label, java.util.function.Function<Faults.PhaseResult, String> cell) {}

    /** The failures by type, most frequent first, or "none". */
    static String failures(FaultsProtocol.Answers answers) {
        if (answers.failed().isEmpty()) {
            return "none";
        }
        return answers.failed().entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "));
    }

    /**
     * The server load tables: per side the upstream calls (the crowd's, and one user's alone), the
     * answers and the users' waits, cold and warm (median round [lowest-highest]), then each HTTP
     * side's waits over the in-process waits of the same round.
     */
    static String serverLoad(ServerLoad.Result result) {
        ServerLoad.Settings settings = result.settings();
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                Locale.ROOT,
                "Server load: %d users released together asking one cold comparison (%s vs %s) of a fresh"
                        + " HuddleServer%n(Caffeine; the upstream simulator in this process answering in %d ms; a"
                        + " plan of %d requests a minute), beside the same%nusers calling that server's"
                        + " SportsStatsService in-process. Over HTTP: one java.net.http.HttpClient (HTTP/1.1) per"
                        + " server,%nshared by its users, a connection per user in flight, opened at the release"
                        + " (new conns) or before it (open conns);%nthe server on Javalin's default Jetty pool (at"
                        + " most 250 threads). Warm: the same users asking again on the same server,%nevery answer a"
                        + " hit, over the same connections. %d warm-up round(s) (discarded), %d measured rounds, the"
                        + " sides'%norder rotated, fresh servers for every side and round; the run took %.0f s."
                        + " wait = from the common release%nto the user's answer, over the %d users (nearest rank)."
                        + " Each figure is the median round [lowest-highest].%n",
                settings.users(),
                ServerLoad.FIRST,
                ServerLoad.SECOND,
                settings.latency().toMillis(),
                settings.plan(),
                settings.warmupRounds(),
                settings.measuredRounds(),
                result.took().toMillis() / 1000.0,
                settings.users()));
        for (ServerLoad.Side side : ServerLoad.Side.values()) {
            out.append(String.format(Locale.ROOT, "  %-17s %s%n", side.label + ":", side.how));
        }
        out.append('\n');
        String format = "%-17s %-15s %-16s %-22s %-12s %-22s %-22s %-22s %s%n";
        out.append(String.format(
                Locale.ROOT,
                format,
                "cold",
                "upstream calls",
                "one user: calls",
                "one user: wait (ms)",
                "answers",
                "wait p50 (ms)",
                "wait p99 (ms)",
                "wait max (ms)",
                "listen queue drops"));
        for (ServerLoad.Side side : ServerLoad.Side.values()) {
            List<ServerLoad.Round> rounds = result.measured(side);
            long[] drops =
                    rounds.stream().mapToLong(ServerLoad.Round::listenOverflows).toArray();
            out.append(String.format(
                    Locale.ROOT,
                    format,
                    side.label,
                    spread(rounds.stream().mapToLong(ServerLoad.Round::calls).toArray(), Long::toString),
                    spread(
                            rounds.stream()
                                    .mapToLong(ServerLoad.Round::aloneCalls)
                                    .toArray(),
                            Long::toString),
                    spread(
                            rounds.stream()
                                    .mapToLong(ServerLoad.Round::aloneWaitMicros)
                                    .toArray(),
                            Report::plainMillis),
                    ServerLoad.answers(sumOf(rounds, ServerLoad.Round::cold)),
                    crowdSpread(rounds, ServerLoad.Round::cold, ServerLoad.Crowd::p50),
                    crowdSpread(rounds, ServerLoad.Round::cold, ServerLoad.Crowd::p99),
                    crowdSpread(rounds, ServerLoad.Round::cold, ServerLoad.Crowd::max),
                    Arrays.stream(drops).anyMatch(d -> d < 0) ? "unknown" : spread(drops, Long::toString)));
        }
        out.append('\n');
        out.append(String.format(
                Locale.ROOT,
                format,
                "warm",
                "upstream calls",
                "",
                "",
                "answers",
                "wait p50 (ms)",
                "wait p99 (ms)",
                "wait max (ms)",
                ""));
        for (ServerLoad.Side side : ServerLoad.Side.values()) {
            List<ServerLoad.Round> rounds = result.measured(side);
            out.append(String.format(
                                    Locale.ROOT,
                                    format,
                                    side.label,
                                    spread(
                                            rounds.stream()
                                                    .mapToLong(ServerLoad.Round::warmCalls)
                                                    .toArray(),
                                            Long::toString),
                                    "",
                                    "",
                                    ServerLoad.answers(sumOf(rounds, ServerLoad.Round::warm)),
                                    crowdSpread(rounds, ServerLoad.Round::warm, ServerLoad.Crowd::p50),
                                    crowdSpread(rounds, ServerLoad.Round::warm, ServerLoad.Crowd::p99),
                                    crowdSpread(rounds, ServerLoad.Round::warm, ServerLoad.Crowd::max),
                                    "")
                            .stripTrailing()
                    + "\n");
        }
        out.append('\n');
        String ratioFormat = "%-17s %-22s %-22s %-22s %-22s %s%n";
        out.append(String.format(
                Locale.ROOT, ratioFormat, "/ in-process", "cold p50", "cold p99", "cold max", "warm p50", "warm p99"));
        for (ServerLoad.Side side : ServerLoad.Side.values()) {
            if (!side.overHttp()) {
                continue;
            }
            out.append(String.format(
                    Locale.ROOT,
                    ratioFormat,
                    side.label,
                    ratioSpread(result.ratios(side, ServerLoad.Round::cold, ServerLoad.Crowd::p50)),
                    ratioSpread(result.ratios(side, ServerLoad.Round::cold, ServerLoad.Crowd::p99)),
                    ratioSpread(result.ratios(side, ServerLoad.Round::cold, ServerLoad.Crowd::max)),
                    ratioSpread(result.ratios(side, ServerLoad.Round::warm, ServerLoad.Crowd::p50)),
                    ratioSpread(result.ratios(side, ServerLoad.Round::warm, ServerLoad.Crowd::p99))));
        }
        out.append(String.format(
                Locale.ROOT,
                "(each HTTP side's figure over the in-process figure of the same round)%n%n"
                        + "the crowd cost the upstream what one user alone did, asking again nothing, every round and"
                        + " side (warm-up included): %s%n"
                        + "every user answered right (HTTP 200 with both players; the comparison in-process): %s%n"
                        + "listen queue drops: connections the machine's TCP listen queues dropped during the cold ask"
                        + " (Linux TcpExt ListenOverflows,%nevery socket of the machine); a dropped connection is"
                        + " retried by its client after about 1 s.%n",
                result.rounds().stream().allMatch(ServerLoad.Round::costOneUser) ? "yes" : "NO",
                result.rounds().stream().allMatch(ServerLoad.Round::allAnswered) ? "yes" : "NO"));
        return out.toString();
    }

    /** The answers of one crowd of every round, added up by outcome. */
    private static Map<String, Long> sumOf(
            List<ServerLoad.Round> rounds, java.util.function.Function<ServerLoad.Round, ServerLoad.Crowd> crowd) {
        Map<String, Long> sum = new java.util.TreeMap<>();
        rounds.forEach(round -> crowd.apply(round).answers().forEach((outcome, n) -> sum.merge(outcome, n, Long::sum)));
        return sum;
    }

    /** One crowd's figure over the rounds, in milliseconds: median [lowest-highest]. */
    private static String crowdSpread(
            List<ServerLoad.Round> rounds,
            java.util.function.Function<ServerLoad.Round, ServerLoad.Crowd> crowd,
            java.util.function.ToLongFunction<ServerLoad.Crowd> figure) {
        return spread(rounds.stream().map(crowd).mapToLong(figure).toArray(), Report::plainMillis);
    }

    /** The median ratio, by nearest rank, with the lowest and highest: {@code 1.23x [1.10x-1.31x]}. */
    static String ratioSpread(double[] ratios) {
        if (ratios.length == 0) {
            return "-";
        }
        double[] sorted = ratios.clone();
        Arrays.sort(sorted);
        return String.format(
                Locale.ROOT,
                "%.2fx [%.2fx-%.2fx]",
                sorted[(sorted.length + 1) / 2 - 1],
                sorted[0],
                sorted[sorted.length - 1]);
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

    /**
     * The replay's table: per side (warming and prefetch off, on) the user-visible misses, the
     * failures by type, the users' waits, the upstream requests and their most in any 60 s window,
     * the 429s and what warming and prefetch did; then the targets, met or missed.
     */
    static String replay(Replay.Result result) {
        Replay.Settings settings = result.settings();
        ReplayWorkload.Settings workload = settings.workload();
        Replay.Side off = result.off();
        Replay.Side on = result.on();
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                Locale.ROOT,
                "Warming and prefetch, replayed: %d questions over %d simulated minutes (one every %d ms) on a plan of %d"
                        + " requests a minute,%nthe simulator answering in %d ms. Popularity: a Zipf law of exponent"
                        + " %.2f over the league's %d players; %d sessions open at once,%n%.0f questions each on"
                        + " average, %.0f%% of moves to a related player, %.0f%% comparisons; seed %d; %d players"
                        + " asked about. Each side on a fresh%nstack, the same questions; warming every %d s of"
                        + " simulated time; background work run between two questions; users never wait for a"
                        + "%npermit (an empty budget fails the question). miss = an answer that needed an upstream"
                        + " request of its own, or failed.%nwait = wall time of the in-process call (nearest rank)."
                        + " The run took %.0f s.%n%n",
                workload.questions(),
                workload.over().toMinutes(),
                workload.gapMillis(),
                settings.plan(),
                settings.latency().toMillis(),
                workload.exponent(),
                off.players(),
                workload.openSessions(),
                workload.meanSessionLength(),
                workload.relatedMove() * 100,
                workload.comparisons() * 100,
                workload.seed(),
                off.distinct(),
                settings.warmEvery().toSeconds(),
                result.took().toMillis() / 1000.0));
        String format = "%-38s %-24s %s%n";
        out.append(String.format(Locale.ROOT, format, "warming and prefetch", "off", "on"));
        List<ReplayRow> rows = List.of(
                new ReplayRow(
                        "user-visible misses",
                        side -> String.format(Locale.ROOT, "%d (%.1f%%)", side.misses(), side.missRate() * 100)),
                new ReplayRow("  answered with an upstream load", side -> Long.toString(side.ownLoads())),
                new ReplayRow("    naming a player for the first time", side -> Long.toString(side.firstNamedLoads())),
                new ReplayRow(
                        "    naming players asked before",
                        side -> Long.toString(side.ownLoads() - side.firstNamedLoads())),
                new ReplayRow("  failed", side -> Long.toString(side.failed())),
                new ReplayRow(
                        "failed answers by type",
                        side -> side.failures().isEmpty()
                                ? "none"
                                : side.failures().entrySet().stream()
                                        .sorted(Map.Entry.<String, Long>comparingByValue()
                                                .reversed())
                                        .map(e -> e.getKey() + " " + e.getValue())
                                        .collect(Collectors.joining(", "))),
                new ReplayRow("users' wait p50 (ms)", side -> plainMillis(side.p50())),
                new ReplayRow("users' wait p99 (ms)", side -> plainMillis(side.p99())),
                new ReplayRow("upstream requests", side -> Long.toString(side.upstream())),
                new ReplayRow("  made while a user waited", side -> Long.toString(side.userRequests())),
                new ReplayRow(
                        "most in any 60 s (simulated)",
                        side -> side.maxInAnyWindow()
                                + (side.maxInAnyWindow() == side.ownMaxInAnyWindow()
                                        ? ""
                                        : " (replay's own count " + side.ownMaxInAnyWindow() + ")")),
                new ReplayRow("429s", side -> Long.toString(side.rateLimited())),
                new ReplayRow(
                        "permits: users / background / refused",
                        side -> side.budget().userPermits() + " / "
                                + side.budget().backgroundPermits() + " / "
                                + side.budget().refused()),
                new ReplayRow(
                        "warming passes / prefetch rounds",
                        side -> side.counts() == null
                                ? "-"
                                : side.counts().warmPasses() + " / "
                                        + side.counts().prefetchRounds()),
                new ReplayRow("warm loads", side -> Long.toString(side.stats().warmLoads())),
                new ReplayRow(
                        "prefetches started / used / unused",
                        side -> side.stats().prefetchesStarted() + " / "
                                + side.stats().prefetchesUsed() + " / "
                                + side.stats().prefetchesUnused()),
                new ReplayRow(
                        "skipped for budget: loads / lookups",
                        side -> side.all().skippedForBudget() + " / "
                                + (side.counts() == null ? 0 : side.counts().skippedForBudget())),
                new ReplayRow(
                        "skipped, background queue full",
                        side -> side.all().aheadSkippedFull() + side.all().refreshesSkipped()
                                + (side.counts() == null ? 0 : side.counts().prefetchRoundsSkipped()) + ""));
        for (ReplayRow row : rows) {
            out.append(String.format(
                                    Locale.ROOT,
                                    format,
                                    row.label(),
                                    row.cell().apply(off),
                                    row.cell().apply(on))
                            .stripTrailing()
                    + "\n");
        }
        out.append(String.format(
                Locale.ROOT,
                "%nTargets (on against off, this run):%n"
                        + "  user-visible misses at most half of off: %d vs %d (%.2fx): %s%n"
                        + "  upstream within the plan in every 60 s window: at most %d off, %d on, plan %d: %s%n"
                        + "  no 429: %d off, %d on: %s%n"
                        + "  users' p99 no worse than off: %s vs %s ms (%.2fx): %s%n"
                        + "(prefetches are counted unused only once their ttl (1 h) has passed unasked: in a"
                        + " %d-minute run, started - used is an upper bound)%n",
                on.misses(),
                off.misses(),
                off.misses() == 0 ? Double.NaN : (double) on.misses() / off.misses(),
                result.missesHalved() ? "met" : "MISSED",
                off.maxInAnyWindow(),
                on.maxInAnyWindow(),
                settings.plan(),
                result.withinPlan() ? "met" : "MISSED",
                off.rateLimited(),
                on.rateLimited(),
                result.no429() ? "met" : "MISSED",
                plainMillis(on.p99()),
                plainMillis(off.p99()),
                result.p99Ratio(),
                result.p99NoWorse() ? "met" : "MISSED",
                workload.over().toMinutes()));
        return out.toString();
    }

    /** A row of the replay table: its label and its cell for each side. */
    private record ReplayRow(String label, java.util.function.Function<Replay.Side, String> cell) {}

    /**
     * The restart run's table: per server the answers, the upstream calls and the waits, and the
     * target (no upstream call from the restarted server's first answers), met or missed.
     */
    static String restart(Restart.Result result) {
        Restart.Settings settings = result.settings();
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                Locale.ROOT,
                "Restart: a server started with --snapshot FILE answered the replay's first %d questions over HTTP,"
                        + " then stopped%n(its snapshot written at close, %d bytes); a new server started from that"
                        + " file answered %d of the questions%nthe first answered right (200), over HTTP; a server"
                        + " without the snapshot answered the same, cold. Servers as ./server --port 0%n--plan 1000000"
                        + " --latency-ms 0 --ahead off; calls = the simulator's, from the server's start to its last"
                        + " answer. The run took %.0f s.%n%n",
                settings.workload().questions(),
                result.snapshotBytes(),
                settings.answers(),
                result.took().toMillis() / 1000.0));
        String format = "%-28s %-22s %-16s %-14s %s%n";
        out.append(String.format(
                Locale.ROOT, format, "server", "answers", "upstream calls", "wait p50 (ms)", "wait p99 (ms)"));
        List<Map.Entry<String, Restart.Served>> rows = List.of(
                Map.entry("first, filling the snapshot", result.first()),
                Map.entry(
                        "restarted (" + (result.restored() < 0 ? "?" : Long.toString(result.restored())) + " restored)",
                        result.restarted()),
                Map.entry("cold, without the snapshot", result.cold()));
        for (Map.Entry<String, Restart.Served> row : rows) {
            out.append(String.format(
                    Locale.ROOT,
                    format,
                    row.getKey(),
                    ServerLoad.answers(row.getValue().answers()),
                    row.getValue().calls(),
                    plainMillis(row.getValue().p50()),
                    plainMillis(row.getValue().p99())));
        }
        out.append(String.format(
                Locale.ROOT,
                "%nTarget: no upstream call in the restarted server's first %d answers, over items in the snapshot:"
                        + " %d calls (cold: %d): %s%n",
                settings.answers(),
                result.restarted().calls(),
                result.cold().calls(),
                result.noCalls() ? "met" : "MISSED"));
        return out.toString();
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
