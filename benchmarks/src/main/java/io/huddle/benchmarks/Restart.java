package io.huddle.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.huddle.examples.server.HuddleServer;
import io.huddle.sim.UpstreamSimulator;
import io.huddle.sports.Player;
import io.huddle.sports.Season;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The restart run: a chatbot server started with a snapshot file answers a workload (the replay's
 * questions, over HTTP), is stopped (its snapshot written at close), and a new server started from
 * that snapshot answers its first {@link Settings#answers} questions, all over items the first one
 * answered (and so cached); its upstream calls are counted (target 0). Beside it, a server started
 * cold (no snapshot) answers the same questions: the baseline. Servers as {@code ./server --port 0
 * --plan 1000000 --latency-ms 0 --ahead off [--snapshot FILE]}: the simulator in this process, a plan
 * that refuses nothing, warming and prefetch off so that every call counted is an answer's.
 */
final class Restart {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private Restart() {}

    /**
     * How the run goes.
     *
     * @param workload the questions the first server answers
     * @param answers the restarted server's answers counted
     */
    record Settings(ReplayWorkload.Settings workload, int answers) {
        /** The replay's workload of {@code questions}, then {@code answers} after the restart. */
        static Settings of(int questions, int answers) {
            return new Settings(
                    Replay.Settings.of(questions, Replay.Settings.EXPONENT, Replay.Settings.MINUTES)
                            .workload(),
                    answers);
        }
    }

    /**
     * What a server answered, and what it cost upstream.
     *
     * @param answers by HTTP status
     * @param calls the simulator's calls from the server's start to its last answer
     * @param waitMicros every answer's wait, wall time, sorted
     */
    record Served(Map<String, Long> answers, long calls, long[] waitMicros) {
        Served {
            answers = Map.copyOf(answers);
            waitMicros = waitMicros.clone();
            Arrays.sort(waitMicros);
        }

        long p50() {
            return FleetProtocol.percentile(waitMicros, 50);
        }

        long p99() {
            return FleetProtocol.percentile(waitMicros, 99);
        }
    }

    /**
     * The run's figures.
     *
     * @param settings how it went
     * @param first the first server over the workload
     * @param snapshotBytes the snapshot file's size after the first server stopped
     * @param restored entries the restarted server restored before its first answer, -1 if unknown
     * @param restarted the restarted server over its first answers
     * @param cold a server without the snapshot over the same answers
     * @param took the run's wall time
     */
    record Result(
            Settings settings,
            Served first,
            long snapshotBytes,
            long restored,
            Served restarted,
            Served cold,
            Duration took) {
        /** The target: the restarted server's first answers made no upstream call. */
        boolean noCalls() {
            return restarted.calls() == 0;
        }
    }

    /** Runs the three servers one after the other, printing a line per server. */
    static Result run(Settings settings, PrintStream progress) {
        long started = System.nanoTime();
        List<ReplayWorkload.Question> questions = questions(settings.workload());
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(TIMEOUT)
                .build();
        Path folder;
        try {
            folder = Files.createTempDirectory("huddle-restart-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path snapshot = folder.resolve("cache.snapshot");
        try {
            List<ReplayWorkload.Question> answered = new ArrayList<>();
            Served first;
            try (HuddleServer server = start("--snapshot", snapshot.toString())) {
                first = ask(server, http, questions, answered);
            } // closing writes the snapshot
            progress.printf(
                    Locale.ROOT,
                    "[huddle-bench] restart: the first server answered %s with %d upstream calls%n",
                    ServerLoad.answers(first.answers()),
                    first.calls());
            if (answered.isEmpty()) {
                throw new IllegalStateException("the first server answered nothing right: " + first.answers());
            }
            List<ReplayWorkload.Question> again = new ArrayList<>(settings.answers());
            for (int i = 0; i < settings.answers(); i++) {
                again.add(answered.get(i % answered.size()));
            }
            long bytes = Files.size(snapshot);
            Served restarted;
            long restored;
            try (HuddleServer server = start("--snapshot", snapshot.toString())) {
                restarted = ask(server, http, again, null);
                restored = restored(server, http);
            }
            progress.printf(
                    Locale.ROOT,
                    "[huddle-bench] restart: from its snapshot (%d entries restored), %s with %d upstream calls%n",
                    restored,
                    ServerLoad.answers(restarted.answers()),
                    restarted.calls());
            Served cold;
            try (HuddleServer server = start()) {
                cold = ask(server, http, again, null);
            }
            progress.printf(
                    Locale.ROOT,
                    "[huddle-bench] restart: cold, without the snapshot, %s with %d upstream calls%n",
                    ServerLoad.answers(cold.answers()),
                    cold.calls());
            return new Result(
                    settings, first, bytes, restored, restarted, cold, Duration.ofNanos(System.nanoTime() - started));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                Files.deleteIfExists(snapshot);
                Files.deleteIfExists(folder);
            } catch (IOException e) {
                progress.println("[huddle-bench] restart: could not delete " + folder + ": " + e);
            }
        }
    }

    private static HuddleServer start(String... more) {
        List<String> args =
                new ArrayList<>(List.of("--port", "0", "--plan", "1000000", "--latency-ms", "0", "--ahead", "off"));
        args.addAll(List.of(more));
        return HuddleServer.start(args.toArray(String[]::new));
    }

    /** The replay's questions over the league of a simulator of the servers' (default) seed. */
    private static List<ReplayWorkload.Question> questions(ReplayWorkload.Settings workload) {
        Season season = Season.of(UpstreamSimulator.SEASON);
        try (UpstreamSimulator sim = UpstreamSimulator.builder().build().start()) {
            List<Player> league = Replay.league(sim, season);
            List<String> byPopularity = ReplayWorkload.byPopularity(league, workload.seed());
            return ReplayWorkload.questions(workload, byPopularity, ReplayWorkload.related(league, byPopularity));
        }
    }

    /** Asks the questions in turn, in their sessions; the right ones (200) are added to {@code answered}. */
    private static Served ask(
            HuddleServer server,
            HttpClient http,
            List<ReplayWorkload.Question> questions,
            List<ReplayWorkload.Question> answered) {
        UpstreamSimulator sim = server.simulator().orElseThrow();
        Map<String, Long> answers = new TreeMap<>();
        long[] waits = new long[questions.size()];
        for (int i = 0; i < questions.size(); i++) {
            ReplayWorkload.Question question = questions.get(i);
            String path = question.comparison()
                    ? "/api/compare?a=" + query(question.first()) + "&b=" + query(question.second())
                    : "/api/players/" + query(question.first()) + "/stats";
            HttpRequest request = HttpRequest.newBuilder(server.baseUrl().resolve(path))
                    .timeout(TIMEOUT)
                    .header("X-Huddle-Session", question.session())
                    .GET()
                    .build();
            long asked = System.nanoTime();
            String outcome;
            try {
                outcome = Integer.toString(http.send(request, HttpResponse.BodyHandlers.discarding())
                        .statusCode());
            } catch (IOException e) {
                outcome = e.getClass().getSimpleName();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted during the restart run", e);
            }
            waits[i] = (System.nanoTime() - asked) / 1000;
            answers.merge(outcome, 1L, Long::sum);
            if (answered != null && outcome.equals("200")) {
                answered.add(question);
            }
        }
        return new Served(answers, sim.calls().total(), waits);
    }

    /** The entries the server restored at its start, from {@code /api/stats}; -1 if it does not say. */
    private static long restored(HuddleServer server, HttpClient http) {
        try {
            HttpResponse<String> stats = http.send(
                    HttpRequest.newBuilder(server.baseUrl().resolve("/api/stats"))
                            .timeout(TIMEOUT)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode restored = JSON.readTree(stats.body()).path("snapshot").path("restoredAtStart");
            return restored.isNumber() ? restored.asLong() : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
