package io.huddle.benchmarks;

import io.huddle.benchmarks.FaultsProtocol.EventKind;
import io.huddle.benchmarks.FaultsProtocol.Mix;
import io.huddle.benchmarks.FaultsProtocol.PhaseReport;
import io.huddle.benchmarks.FaultsProtocol.UpstreamEvent;
import io.huddle.client.BalldontlieClient;
import io.huddle.redis.OwnedRedis;
import io.huddle.sim.UpstreamCalls;
import io.huddle.sim.UpstreamSimulator;
import io.huddle.sports.Player;
import io.huddle.sports.PlayerNames;
import io.huddle.sports.Season;
import io.huddle.sports.SportsPolicies;
import io.huddle.sports.Team;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The fault run: several servers of the chatbot as real processes ({@link FaultsWorker}), each with
 * its users asking popular comparisons and now and then a long-tail question, through the whole
 * stack (near cache over Redis, Redis leases and bus, the Redis upstream budget, the HTTP client),
 * against one simulated provider with one API key, while the driver breaks things phase by phase:
 * Redis killed, Redis restarted empty, the provider failing, the provider refusing.
 *
 * <p>The driver owns everything it breaks: the {@code redis-server} it started from the PATH on a
 * free port ({@link OwnedRedis}, from the Redis adapter's test-jar) and the simulator in its own process. Workers are started and
 * killed as in {@link Fleet}.
 */
final class Faults {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(150);
    private static final String API_KEY = "huddle-faults-bench-key";

    /** The API key's plan, and the budget's: requests a minute. */
    static final int PLAN_PER_MINUTE = 60;

    /** The season the simulator has data for. */
    static final Season SEASON = Season.of(UpstreamSimulator.SEASON);

    private Faults() {}

    /**
     * A popular player: the seed's named players on their real 2024 teams, with the simulator's fixed
     * ids. The retired Aaron Donald (on no roster) is left out.
     */
    record PopularPlayer(String id, String fullName) {
        /** The word the resolver searches for: the normalised name's last word. */
        String searchWord() {
            String key = PlayerNames.normalise(fullName);
            return key.substring(key.lastIndexOf(' ') + 1);
        }
    }

    static final List<PopularPlayer> POPULAR = List.of(
            new PopularPlayer("1", "Patrick Mahomes"),
            new PopularPlayer("2", "Josh Allen"),
            new PopularPlayer("3", "Lamar Jackson"),
            new PopularPlayer("4", "Justin Jefferson"),
            new PopularPlayer("5", "Micah Parsons"),
            new PopularPlayer("6", "T.J. Watt"),
            new PopularPlayer("7", "Myles Garrett"));

    /** Every pair of popular players: the popular comparisons. */
    static List<List<PopularPlayer>> popularPairs() {
        List<List<PopularPlayer>> pairs = new ArrayList<>();
        for (int i = 0; i < POPULAR.size(); i++) {
            for (int j = i + 1; j < POPULAR.size(); j++) {
                pairs.add(List.of(POPULAR.get(i), POPULAR.get(j)));
            }
        }
        return List.copyOf(pairs);
    }

    /** The phases, in order; each lasts {@link Settings#phaseLength}. */
    enum Phase {
        WARM("warm", "warm", Mix.POPULAR, "popular comparisons only: their players and stats are loaded"),
        STEADY("steady", "steady", Mix.MIXED, "popular comparisons and the long tail; nothing fails"),
        REDIS_KILLED("redis-killed", "redis-kill", Mix.MIXED, "redis-server killed with SIGKILL; down for the phase"),
        REDIS_RESTARTED(
                "redis-restarted", "redis-back", Mix.MIXED, "redis-server started again on the same port, empty"),
        UPSTREAM_503("upstream-503", "503", Mix.MIXED, "the provider answers every request with 503 (failFor)"),
        UPSTREAM_429("upstream-429", "429", Mix.MIXED, "the provider's limit cut to %d a minute: 429 beyond it"),
        HEALED("healed", "healed", Mix.MIXED, "the provider's limit back to the plan, every fault healed");

        final String label;
        /** The label in a table's header: at most 10 characters with the number. */
        final String column;

        final Mix mix;
        private final String description;

        Phase(String label, String column, Mix mix, String description) {
            this.label = label;
            this.column = (ordinal() + 1) + " " + column;
            this.mix = mix;
            this.description = description;
        }

        String description(Settings settings) {
            return String.format(Locale.ROOT, description, settings.stormLimitPerMinute());
        }

        /** The phases whose faults the targets are about: every one after the warm-up. */
        boolean afterWarmUp() {
            return this != WARM;
        }
    }

    /**
     * How the fault run goes.
     *
     * @param servers server processes
     * @param usersPerServer users (threads) in each
     * @param phaseLength how long each phase lasts (and so the provider's 503s)
     * @param latency the simulator's delay before each answer
     * @param statsTtl how long player stats are fresh (the sports default is an hour): short enough
     *     that popular stats expire, and must be served stale, while the provider fails
     * @param thinkMin a user's shortest pause between two questions
     * @param thinkMax a user's longest pause
     * @param longTailPerSecond long-tail questions a second across the fleet, about: each costs two or
     *     three requests, so a rate above a third of the plan's keeps the budget short of permits
     * @param stormLimitPerMinute the provider's limit during the 429 phase
     * @param heap each server's {@code -Xmx}
     * @param seed the simulator's seed and the users' randomness
     */
    record Settings(
            int servers,
            int usersPerServer,
            Duration phaseLength,
            Duration latency,
            Duration statsTtl,
            Duration thinkMin,
            Duration thinkMax,
            double longTailPerSecond,
            int stormLimitPerMinute,
            String heap,
            long seed) {
        Settings {
            if (servers < 1 || usersPerServer < 1) {
                throw new IllegalArgumentException("servers and users must be positive");
            }
            if (phaseLength.toMillis() < 1000) {
                throw new IllegalArgumentException("a phase lasts at least 1 s, was " + phaseLength);
            }
            if (thinkMax.compareTo(thinkMin) < 0 || thinkMin.isNegative()) {
                throw new IllegalArgumentException("think times must be 0 <= min <= max");
            }
        }

        /** 4 servers of 250 users, phases of the given length, the rest as the README describes. */
        static Settings of(Duration phaseLength) {
            return new Settings(
                    4,
                    250,
                    phaseLength,
                    Duration.ofMillis(75),
                    Duration.ofSeconds(30),
                    Duration.ofMillis(250),
                    Duration.ofMillis(750),
                    1.0,
                    6,
                    "256m",
                    42L);
        }

        int users() {
            return servers * usersPerServer;
        }

        /** The ttl of an item's kind: a player's id (the sports default), or his stats. */
        Duration ttlOf(String item) {
            return item.startsWith("stats-") ? statsTtl : SportsPolicies.PLAYER_ID.ttl();
        }
    }

    /**
     * One phase as the fleet and the simulator saw it.
     *
     * @param startMillis when the driver began it (epoch ms)
     * @param endMillis when it ended
     * @param fleet every server's report, summed
     * @param servers each server's report, in server order
     * @param upstream the simulator's counters over the phase (reset at its start; the most accepted
     *     in a minute counts the windows that end within the phase, reaching back into earlier ones)
     */
    record PhaseResult(
            Phase phase,
            long startMillis,
            long endMillis,
            PhaseReport fleet,
            List<PhaseReport> servers,
            UpstreamCalls upstream) {
        Duration length() {
            return Duration.ofMillis(endMillis - startMillis);
        }
    }

    /** Everything one fault run measured. */
    record Result(
            Settings settings,
            String redis,
            Path logs,
            int longTailPlayers,
            List<PhaseResult> phases,
            List<UpstreamEvent> events,
            long unanswered,
            Duration took) {
        long[] boundaries() {
            long[] boundaries = new long[phases.size() + 1];
            for (int i = 0; i < phases.size(); i++) {
                boundaries[i] = phases.get(i).startMillis();
            }
            boundaries[phases.size()] = phases.get(phases.size() - 1).endMillis();
            return boundaries;
        }
    }

    /** Why the fault run cannot run here, if it cannot. */
    static Optional<String> whyNot() {
        return OwnedRedis.redisServerOnPath().isPresent()
                ? Optional.empty()
                : Optional.of("no redis-server on the PATH (the fault run starts, kills and restarts its own)");
    }

    /** Runs every phase and stops everything it started. */
    static Result run(Settings settings, PrintStream progress) {
        long started = System.nanoTime();
        Path binary =
                OwnedRedis.redisServerOnPath().orElseThrow(() -> new IllegalStateException(whyNot().orElseThrow()));
        String prefix = "huddle-faults-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> longTail = longTailNames(settings.seed());
        try (OwnedRedis redis = OwnedRedis.start(binary);
                UpstreamSimulator upstream = UpstreamSimulator.builder()
                        .apiKey(API_KEY)
                        .rateLimitPerMinute(PLAN_PER_MINUTE)
                        .latency(settings.latency())
                        .seed(settings.seed())
                        .build()
                        .start();
                WorkerProcesses processes = new WorkerProcesses()) {
            Path logs = Files.createTempDirectory(prefix + "-logs-");
            for (int i = 0; i < settings.servers(); i++) {
                processes.start(
                        "faults worker",
                        i,
                        FaultsProtocol.PREFIX,
                        command(i, settings, redis.uri(), prefix, upstream.baseUrl()),
                        ProcessBuilder.Redirect.to(
                                logs.resolve("server-" + i + ".log").toFile()));
            }
            processes.awaitReady(START_TIMEOUT);
            List<WorkerProcess> workers = processes.all();
            for (WorkerProcess worker : workers) {
                List<String> mine = IntStream.range(0, longTail.size())
                        .filter(i -> i % workers.size() == worker.index)
                        .mapToObj(longTail::get)
                        .toList();
                worker.send(FaultsProtocol.format(new FaultsProtocol.Names(mine)));
                FaultsProtocol.parseCount(worker.next(ACK_TIMEOUT), "names");
            }
            progress.printf(
                    Locale.ROOT,
                    "[huddle-bench] faults: %d server processes x %d users, Redis %s, simulator %s (plan %d a"
                            + " minute, latency %d ms), %d long-tail players, server logs in %s, started in %.1f s%n",
                    settings.servers(),
                    settings.usersPerServer(),
                    redis.description(),
                    upstream.baseUrl(),
                    PLAN_PER_MINUTE,
                    settings.latency().toMillis(),
                    longTail.size(),
                    logs,
                    (System.nanoTime() - started) / 1e9);

            Phase[] phases = Phase.values();
            long[] startMillis = new long[phases.length];
            UpstreamCalls[] calls = new UpstreamCalls[phases.length];
            upstream.resetCounters();
            for (Phase phase : phases) {
                int k = phase.ordinal();
                if (k > 0) {
                    calls[k - 1] = upstream.calls();
                    upstream.resetCounters();
                    reportPhase(progress, phases[k - 1], calls[k - 1]);
                }
                startMillis[k] = System.currentTimeMillis();
                for (WorkerProcess worker : workers) {
                    worker.send(FaultsProtocol.format(new FaultsProtocol.Phase(k, phase.mix)));
                }
                for (WorkerProcess worker : workers) {
                    long acknowledged = FaultsProtocol.parseCount(worker.next(ACK_TIMEOUT), "phase-started");
                    if (acknowledged != k) {
                        throw new IllegalStateException(
                                "worker " + worker.index + " started phase " + acknowledged + ", not " + k);
                    }
                }
                breakOrHeal(phase, settings, redis, upstream);
                progress.printf(
                        Locale.ROOT,
                        "[huddle-bench] faults phase %d %s: %s%n",
                        k + 1,
                        phase.label,
                        phase.description(settings));
                sleepUntil(startMillis[k] + settings.phaseLength().toMillis());
            }
            long endMillis = System.currentTimeMillis();
            int last = phases.length - 1;
            calls[last] = upstream.calls();
            reportPhase(progress, phases[last], calls[last]);

            for (WorkerProcess worker : workers) {
                worker.send(FaultsProtocol.format(new FaultsProtocol.Stop()));
            }
            long unanswered = 0;
            for (WorkerProcess worker : workers) {
                unanswered += FaultsProtocol.parseCount(worker.next(STOP_TIMEOUT), "stopped");
            }
            List<List<PhaseReport>> byServer = new ArrayList<>();
            List<UpstreamEvent> events = new ArrayList<>();
            for (WorkerProcess worker : workers) {
                worker.send(FaultsProtocol.format(new FaultsProtocol.Report()));
                List<PhaseReport> reports = new ArrayList<>();
                for (int k = 0; k < phases.length; k++) {
                    PhaseReport report = FaultsProtocol.parsePhaseReport(worker.next(ACK_TIMEOUT));
                    if (report.index() != k) {
                        throw new IllegalStateException(
                                "worker " + worker.index + " reported phase " + report.index() + ", not " + k);
                    }
                    reports.add(report);
                }
                events.addAll(FaultsProtocol.parseEvents(worker.index, worker.next(ACK_TIMEOUT)));
                FaultsProtocol.parseCount(worker.next(ACK_TIMEOUT), "reported");
                byServer.add(reports);
            }
            for (WorkerProcess worker : workers) {
                worker.quit(FaultsProtocol.format(new FaultsProtocol.Quit()));
            }
            List<PhaseResult> results = new ArrayList<>();
            for (Phase phase : phases) {
                int k = phase.ordinal();
                List<PhaseReport> servers =
                        byServer.stream().map(reports -> reports.get(k)).toList();
                PhaseReport fleet = servers.stream().reduce(PhaseReport.empty(k), PhaseReport::plus);
                results.add(new PhaseResult(
                        phase, startMillis[k], k == last ? endMillis : startMillis[k + 1], fleet, servers, calls[k]));
            }
            events.sort((a, b) -> Long.compare(a.atMillis(), b.atMillis()));
            return new Result(
                    settings,
                    redis.description(),
                    logs,
                    longTail.size(),
                    List.copyOf(results),
                    List.copyOf(events),
                    unanswered,
                    Duration.ofNanos(System.nanoTime() - started));
        } catch (IOException e) {
            throw new UncheckedIOException("could not make a directory for the server logs", e);
        }
    }

    /** What the driver does to Redis or the provider as the phase begins. */
    private static void breakOrHeal(Phase phase, Settings settings, OwnedRedis redis, UpstreamSimulator upstream) {
        switch (phase) {
            case WARM, STEADY -> {}
            case REDIS_KILLED -> redis.kill();
            case REDIS_RESTARTED -> redis.restart();
            case UPSTREAM_503 -> upstream.failFor(settings.phaseLength(), 503);
            case UPSTREAM_429 -> upstream.setRateLimitPerMinute(settings.stormLimitPerMinute());
            case HEALED -> {
                upstream.setRateLimitPerMinute(PLAN_PER_MINUTE);
                upstream.heal();
            }
        }
    }

    private static void reportPhase(PrintStream progress, Phase phase, UpstreamCalls calls) {
        progress.printf(
                Locale.ROOT,
                "[huddle-bench] faults phase %d %s ended: %d upstream calls, %d refused with 429, %d faulted,"
                        + " at most %d accepted in a minute%n",
                phase.ordinal() + 1,
                phase.label,
                calls.total(),
                calls.rateLimited(),
                calls.faults(),
                calls.maxAcceptedInAnyMinute());
    }

    /**
     * The players of the simulator's league (same seed) who are on a 2024 roster and not popular,
     * shuffled: read from a simulator of their own, so that the run's provider counts nothing but the
     * run. Left out: the popular players, the two players who share a name, and any player whose last
     * name is a popular player's (the resolver searches by last name, so his search would read as a
     * popular one).
     */
    static List<String> longTailNames(long seed) {
        Set<String> popularWords =
                POPULAR.stream().map(PopularPlayer::searchWord).collect(Collectors.toSet());
        Set<String> popularIds = POPULAR.stream().map(PopularPlayer::id).collect(Collectors.toSet());
        Map<String, Integer> byName = new LinkedHashMap<>();
        try (UpstreamSimulator shadow =
                UpstreamSimulator.builder().seed(seed).build().start()) {
            BalldontlieClient client = BalldontlieClient.builder(shadow.baseUrl(), "listing")
                    .requestsPerMinute(100_000)
                    .build();
            for (Team team : client.teams()) {
                for (Player player : client.roster(team.id(), SEASON).players()) {
                    if (!popularIds.contains(player.id())) {
                        byName.merge(player.fullName(), 1, Integer::sum);
                    }
                }
            }
        }
        List<String> names = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        byName.forEach((name, count) -> {
            String key = PlayerNames.normalise(name);
            String word = key.substring(key.lastIndexOf(' ') + 1);
            if (count == 1 && !popularWords.contains(word) && seen.add(key)) {
                names.add(name);
            }
        });
        Collections.shuffle(names, new Random(seed));
        return List.copyOf(names);
    }

    /** The command line that starts server {@code index}. */
    static List<String> command(int index, Settings settings, URI redisUri, String prefix, URI upstream) {
        return WorkerProcess.javaCommand(
                settings.heap(),
                FaultsWorker.class,
                List.of(
                        "index=" + index,
                        "users=" + settings.usersPerServer(),
                        "redis=" + redisUri,
                        "prefix=" + prefix,
                        "upstream=" + upstream,
                        "key=" + API_KEY,
                        "servers=" + settings.servers(),
                        "plan=" + PLAN_PER_MINUTE,
                        "stats-ttl-ms=" + settings.statsTtl().toMillis(),
                        "think-min-ms=" + settings.thinkMin().toMillis(),
                        "think-max-ms=" + settings.thinkMax().toMillis(),
                        "long-tail-share=" + longTailShare(settings),
                        "seed=" + settings.seed()));
    }

    /**
     * The chance that a user's question is about the long tail, so that the fleet asks about {@link
     * Settings#longTailPerSecond} a second: each user asks about once per mean think time.
     */
    static double longTailShare(Settings settings) {
        double meanThinkSeconds =
                (settings.thinkMin().toMillis() + settings.thinkMax().toMillis()) / 2000.0;
        double questionsPerSecond = settings.users() / Math.max(meanThinkSeconds, 0.001);
        return Math.min(1.0, settings.longTailPerSecond() / questionsPerSecond);
    }

    /** Requests for popular items in the phase, and of them those a server held fresh. */
    record PopularRequests(long sent, long needless) {}

    static PopularRequests popularRequests(Result result, int phase, List<FaultsAnalysis.HeldFresh> needless) {
        PhaseResult p = result.phases().get(phase);
        long sent = FaultsAnalysis.count(result.events(), EventKind.POPULAR_REQUEST, p.startMillis(), p.endMillis());
        long wasted = needless.stream()
                .map(FaultsAnalysis.HeldFresh::request)
                .filter(event -> event.atMillis() >= p.startMillis() && event.atMillis() < p.endMillis())
                .count();
        return new PopularRequests(sent, wasted);
    }

    private static void sleepUntil(long epochMillis) {
        long left;
        while ((left = epochMillis - System.currentTimeMillis()) > 0) {
            try {
                Thread.sleep(Math.min(left, 500));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted during the fault run", e);
            }
        }
    }
}
