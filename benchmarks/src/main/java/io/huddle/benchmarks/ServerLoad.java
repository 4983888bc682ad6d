package io.huddle.benchmarks;

import io.huddle.examples.server.HuddleServer;
import io.huddle.sim.UpstreamSimulator;
import io.huddle.sports.Comparison;
import io.huddle.sports.SportsStatsService;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * The chatbot's HTTP server under a crowd: {@link Settings#users} users released together asking
 * one cold comparison of a fresh {@link HuddleServer} (Caffeine, the upstream simulator in the same
 * process, a plan that refuses nothing), beside the same users asking that server's own {@link
 * SportsStatsService} in-process, without HTTP: the sides differ only in the HTTP path, so their
 * ratio is what serving over HTTP costs.
 *
 * <p>Over HTTP the users of a server share one {@link HttpClient} (HTTP/1.1), so each user in flight
 * holds a connection of its own, either opened at the release ({@link Side#NEW_CONNECTIONS}: 1000
 * users arriving) or before it ({@link Side#OPEN_CONNECTIONS}: the same users with their pages
 * already open); the server answers on Javalin's default Jetty pool (at most 250 threads, some of
 * them Jetty's acceptors and selectors).
 *
 * <p>Each round runs every side, each on fresh servers: one user alone on one (what a cold
 * comparison costs upstream, and its wait with nobody else asking), then the crowd on another, cold,
 * then the same crowd asking again on that server, warm (every answer a hit, over the connections
 * the cold ask used). The order of the sides rotates from round to round; the first rounds are
 * warm-up (class loading, JIT) and are discarded. A user's wait runs from the common release instant
 * to its answer.
 */
final class ServerLoad {
    /** The comparison every user asks. */
    static final String FIRST = "Josh Allen";

    static final String SECOND = "Lamar Jackson";

    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration ROUND_TIMEOUT = Duration.ofSeconds(120);

    private ServerLoad() {}

    /** How a user reaches the answers. */
    enum Side {
        NEW_CONNECTIONS("HTTP, new conns", "GET /api/compare, each user's connection opened at the release"),
        OPEN_CONNECTIONS("HTTP, open conns", "GET /api/compare, each user's connection opened before the release"),
        IN_PROCESS("in-process", "the server's SportsStatsService.compare, called directly");

        final String label;
        final String how;

        Side(String label, String how) {
            this.label = label;
            this.how = how;
        }

        boolean overHttp() {
            return this != IN_PROCESS;
        }

        /** The outcome of a right answer: the status over HTTP, "ok" in-process. */
        String ok() {
            return overHttp() ? "200" : "ok";
        }
    }

    /**
     * How the run goes.
     *
     * @param users users released together on each side
     * @param latency the simulator's delay per answer
     * @param plan the plan's requests per minute (large: nothing is refused)
     * @param warmupRounds rounds of every side run first and discarded
     * @param measuredRounds rounds of every side reported
     */
    record Settings(int users, Duration latency, int plan, int warmupRounds, int measuredRounds) {
        Settings {
            if (users < 1 || plan < 1 || warmupRounds < 0 || measuredRounds < 1 || latency.isNegative()) {
                throw new IllegalArgumentException(
                        "users, plan and measured rounds must be positive, the rest not negative");
            }
        }

        /** The server's command line, as {@code ./server} takes it. */
        String[] serverArgs() {
            return new String[] {
                "--port",
                "0",
                "--plan",
                Integer.toString(plan),
                "--latency-ms",
                Long.toString(latency.toMillis()),
                "--ahead",
                "off" // the comparison must be cold: Josh Allen is one of the players warmed
            };
        }
    }

    /**
     * The answers of users released together, and their waits.
     *
     * @param answers by outcome: the HTTP status ({@code "200"}), {@code "ok"} in-process, else what
     *     went wrong
     * @param waitMicros every user's wait, sorted
     */
    record Crowd(Map<String, Long> answers, long[] waitMicros) {
        Crowd {
            answers = Map.copyOf(answers);
            waitMicros = waitMicros.clone();
            Arrays.sort(waitMicros);
            if (waitMicros.length == 0) {
                throw new IllegalArgumentException("a crowd has users");
            }
        }

        long p50() {
            return FleetProtocol.percentile(waitMicros, 50);
        }

        long p99() {
            return FleetProtocol.percentile(waitMicros, 99);
        }

        long max() {
            return waitMicros[waitMicros.length - 1];
        }

        /** Whether every user's outcome is {@code ok}. */
        boolean all(String ok) {
            return answers.size() == 1 && answers.getOrDefault(ok, 0L) == waitMicros.length;
        }
    }

    /**
     * One side of one round.
     *
     * @param side how the users asked
     * @param round the round's number, from 0 (warm-up rounds first)
     * @param warmup whether the round is discarded
     * @param aloneCalls upstream requests one user alone cost, on a fresh server
     * @param aloneWaitMicros that user's wait
     * @param calls upstream requests the crowd cost, on another fresh server
     * @param cold the crowd on that server, cold
     * @param listenOverflows connections the machine's TCP listen queues dropped during the cold ask
     *     (Linux, every socket of the machine: {@code TcpExt ListenOverflows}); -1 where unknown
     * @param warmCalls upstream requests the same crowd cost asking again, on the same server
     * @param warm the crowd asking again: every answer a hit
     */
    record Round(
            Side side,
            int round,
            boolean warmup,
            long aloneCalls,
            long aloneWaitMicros,
            long calls,
            Crowd cold,
            long listenOverflows,
            long warmCalls,
            Crowd warm) {
        /** Whether every user got the right answer, cold and warm. */
        boolean allAnswered() {
            return cold.all(side.ok()) && warm.all(side.ok());
        }

        /** Whether the crowd cost the upstream what one user alone did, and asking again nothing. */
        boolean costOneUser() {
            return calls == aloneCalls && warmCalls == 0;
        }
    }

    /** Every round of a run, warm-up included, in the order they ran. */
    record Result(Settings settings, List<Round> rounds, Duration took) {
        Result {
            rounds = List.copyOf(rounds);
        }

        List<Round> measured(Side side) {
            return rounds.stream()
                    .filter(round -> !round.warmup() && round.side() == side)
                    .toList();
        }

        /**
         * The side's figure over the in-process figure of the same measured round, per round: {@code
         * ratios(Side.OPEN_CONNECTIONS, Round::cold, Crowd::p99)}.
         */
        double[] ratios(Side side, Function<Round, Crowd> crowd, ToLongFunction<Crowd> figure) {
            List<Round> over = measured(side);
            List<Round> inProcess = measured(Side.IN_PROCESS);
            double[] ratios = new double[Math.min(over.size(), inProcess.size())];
            for (int i = 0; i < ratios.length; i++) {
                ratios[i] = (double) figure.applyAsLong(crowd.apply(over.get(i)))
                        / figure.applyAsLong(crowd.apply(inProcess.get(i)));
            }
            return ratios;
        }
    }

    /** Runs the warm-up and measured rounds, printing a line per side and round. */
    static Result run(Settings settings, PrintStream progress) {
        long started = System.nanoTime();
        ExecutorService users = Executors.newFixedThreadPool(settings.users(), new DaemonThreads("server-load-user-"));
        try {
            List<Round> rounds = new ArrayList<>();
            int total = settings.warmupRounds() + settings.measuredRounds();
            for (int round = 0; round < total; round++) {
                boolean warmup = round < settings.warmupRounds();
                for (Side side : order(round)) {
                    Round done = round(settings, side, round, warmup, users);
                    rounds.add(done);
                    progress.printf(
                            Locale.ROOT,
                            "[huddle-bench] server load: round %d/%d%s, %s: %d upstream calls (one user alone: %d),"
                                    + " %s, p50 %s, p99 %s, max %s, listen queue drops %s; warm: %d calls, %s, p50 %s,"
                                    + " p99 %s%n",
                            round + 1,
                            total,
                            warmup ? " (warm-up)" : "",
                            side.label,
                            done.calls(),
                            done.aloneCalls(),
                            answers(done.cold().answers()),
                            Report.micros(done.cold().p50()),
                            Report.micros(done.cold().p99()),
                            Report.micros(done.cold().max()),
                            done.listenOverflows() < 0 ? "unknown" : Long.toString(done.listenOverflows()),
                            done.warmCalls(),
                            answers(done.warm().answers()),
                            Report.micros(done.warm().p50()),
                            Report.micros(done.warm().p99()));
                }
            }
            return new Result(settings, rounds, Duration.ofNanos(System.nanoTime() - started));
        } finally {
            users.shutdownNow();
        }
    }

    /** The sides in the order round {@code round} runs them: rotated by one each round. */
    static List<Side> order(int round) {
        Side[] sides = Side.values();
        List<Side> order = new ArrayList<>(sides.length);
        for (int i = 0; i < sides.length; i++) {
            order.add(sides[(round + i) % sides.length]);
        }
        return order;
    }

    /** The outcomes and their counts, as {@code 1000 x 200}, most frequent first. */
    static String answers(Map<String, Long> answers) {
        return answers.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .map(e -> e.getValue() + " x " + e.getKey())
                .reduce((a, b) -> a + ", " + b)
                .orElse("none");
    }

    private static Round round(Settings settings, Side side, int round, boolean warmup, ExecutorService pool) {
        long aloneCalls;
        long aloneWait;
        try (HuddleServer server = HuddleServer.start(settings.serverArgs())) {
            User user = user(side, server, 1, pool);
            aloneWait = ask(user, 1, pool).max();
            aloneCalls = upstreamCalls(server);
        }
        try (HuddleServer server = HuddleServer.start(settings.serverArgs())) {
            User user = user(side, server, settings.users(), pool);
            System.gc(); // the last round's servers are garbage: collect them now, not during the release
            OptionalLong overflowsBefore = listenOverflows();
            Crowd cold = ask(user, settings.users(), pool);
            OptionalLong overflowsAfter = listenOverflows();
            long calls = upstreamCalls(server);
            Crowd warm = ask(user, settings.users(), pool);
            long overflows = overflowsBefore.isPresent() && overflowsAfter.isPresent()
                    ? overflowsAfter.getAsLong() - overflowsBefore.getAsLong()
                    : -1;
            return new Round(
                    side,
                    round,
                    warmup,
                    aloneCalls,
                    aloneWait,
                    calls,
                    cold,
                    overflows,
                    upstreamCalls(server) - calls,
                    warm);
        }
    }

    private static long upstreamCalls(HuddleServer server) {
        UpstreamSimulator simulator = server.simulator()
                .orElseThrow(() -> new IllegalStateException("the server was not started on the simulator"));
        return simulator.calls().total();
    }

    /** What one user does once released: ask, and say how it went. */
    private interface User {
        String ask() throws Exception;
    }

    /**
     * What the side's users do on the server. Over HTTP they share one client, and so its connection
     * pool; for {@link Side#OPEN_CONNECTIONS} that pool holds a connection per user before this returns.
     */
    private static User user(Side side, HuddleServer server, int users, ExecutorService pool) {
        if (!side.overHttp()) {
            return inProcess(server.service());
        }
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(ANSWER_TIMEOUT)
                .build();
        if (side == Side.OPEN_CONNECTIONS) {
            openConnections(client, server.baseUrl().resolve("/health"), users, pool);
        }
        return overHttp(client, server.baseUrl());
    }

    private static Crowd ask(User user, int users, ExecutorService pool) {
        CountDownLatch ready = new CountDownLatch(users);
        CountDownLatch go = new CountDownLatch(1);
        long[] answeredAt = new long[users];
        String[] outcomes = new String[users];
        List<Future<?>> answers = new ArrayList<>(users);
        for (int i = 0; i < users; i++) {
            int index = i;
            answers.add(pool.submit(() -> {
                ready.countDown();
                go.await();
                String outcome;
                try {
                    outcome = user.ask();
                } catch (Exception e) {
                    outcome = e.getClass().getSimpleName();
                }
                answeredAt[index] = System.nanoTime();
                outcomes[index] = outcome;
                return null;
            }));
        }
        try {
            if (!ready.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the " + users + " user threads did not start within 60 s");
            }
            long releasedAt = System.nanoTime();
            go.countDown();
            awaitAll(answers, releasedAt + ROUND_TIMEOUT.toNanos());
            Map<String, Long> byOutcome = new TreeMap<>();
            long[] waits = new long[users];
            for (int i = 0; i < users; i++) {
                byOutcome.merge(outcomes[i], 1L, Long::sum);
                waits[i] = (answeredAt[i] - releasedAt) / 1000;
            }
            return new Crowd(byOutcome, waits);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during the server load run", e);
        }
    }

    private static void awaitAll(List<? extends Future<?>> tasks, long deadlineNanos) throws InterruptedException {
        try {
            for (Future<?> task : tasks) {
                task.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("a user of the server load run did not finish", e);
        }
    }

    /**
     * Leaves a connection per user in the client's pool: {@code users} requests sent at once, whose
     * answers are read only once every one of them has its headers, so that no two can share a
     * connection.
     */
    private static void openConnections(HttpClient client, URI health, int users, ExecutorService pool) {
        HeldBodies held = new HeldBodies(users);
        HttpRequest request =
                HttpRequest.newBuilder(health).timeout(ANSWER_TIMEOUT).GET().build();
        List<Future<Integer>> opened = new ArrayList<>(users);
        for (int i = 0; i < users; i++) {
            opened.add(pool.submit(() -> {
                HeldBodies.One one = held.one();
                try {
                    return client.send(request, one).statusCode();
                } finally {
                    one.arrived(); // a request that failed before its answer must not hold the others back
                }
            }));
        }
        try {
            awaitAll(opened, System.nanoTime() + ROUND_TIMEOUT.toNanos());
            for (Future<Integer> status : opened) {
                if (status.get() != 200) {
                    throw new IllegalStateException("GET " + health + " answered " + status.get());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while opening connections", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot open a connection to " + health, e);
        }
    }

    /**
     * Answers whose bodies are not read until every one of a batch of requests has its answer's
     * headers (or has failed): meanwhile each answer keeps its connection busy, so every request of
     * the batch gets a connection of its own.
     */
    private static final class HeldBodies {
        private final AtomicInteger missing;
        private final Queue<Flow.Subscription> waiting = new ConcurrentLinkedQueue<>();

        HeldBodies(int requests) {
            this.missing = new AtomicInteger(requests);
        }

        /** The handler of one request of the batch. */
        One one() {
            return new One();
        }

        private void readWaiting() {
            for (Flow.Subscription subscription; (subscription = waiting.poll()) != null; ) {
                subscription.request(Long.MAX_VALUE);
            }
        }

        /** One request's body handler; it counts once, when its headers are in or it failed. */
        final class One implements HttpResponse.BodyHandler<Void> {
            private final AtomicBoolean counted = new AtomicBoolean();

            /** This request's answer is in, or will never come; the last of the batch releases every body. */
            void arrived() {
                if (counted.compareAndSet(false, true) && missing.decrementAndGet() == 0) {
                    readWaiting();
                }
            }

            @Override
            public HttpResponse.BodySubscriber<Void> apply(HttpResponse.ResponseInfo info) {
                CompletableFuture<Void> body = new CompletableFuture<>();
                return new HttpResponse.BodySubscriber<>() {
                    @Override
                    public CompletionStage<Void> getBody() {
                        return body;
                    }

                    @Override
                    public void onSubscribe(Flow.Subscription subscription) {
                        waiting.add(subscription);
                        arrived();
                        if (missing.get() == 0) {
                            readWaiting();
                        }
                    }

                    @Override
                    public void onNext(List<ByteBuffer> item) {}

                    @Override
                    public void onError(Throwable failure) {
                        body.completeExceptionally(failure);
                    }

                    @Override
                    public void onComplete() {
                        body.complete(null);
                    }
                };
            }
        }
    }

    private static User overHttp(HttpClient client, URI baseUrl) {
        HttpRequest request = HttpRequest.newBuilder(
                        baseUrl.resolve("/api/compare?a=" + query(FIRST) + "&b=" + query(SECOND)))
                .timeout(ANSWER_TIMEOUT)
                .GET()
                .build();
        return () -> {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            String status = Integer.toString(response.statusCode());
            if (response.statusCode() == 200
                    && !(response.body().contains(FIRST) && response.body().contains(SECOND))) {
                return status + " without both players";
            }
            return status;
        };
    }

    private static User inProcess(SportsStatsService service) {
        return () -> {
            Comparison comparison = service.compare(FIRST, SECOND);
            boolean right = comparison.first().fullName().equals(FIRST)
                    && comparison.second().fullName().equals(SECOND)
                    && comparison.firstStats().isPresent()
                    && comparison.secondStats().isPresent();
            return right ? "ok" : "wrong comparison";
        };
    }

    private static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static final Path NETSTAT = Path.of("/proc/net/netstat");

    /** The machine's {@code TcpExt ListenOverflows} counter (Linux), or empty where it cannot be read. */
    static OptionalLong listenOverflows() {
        try {
            return listenOverflows(Files.readAllLines(NETSTAT));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /** {@code ListenOverflows} from {@code /proc/net/netstat}'s lines: a header line, then its values. */
    static OptionalLong listenOverflows(List<String> netstat) {
        for (int i = 0; i + 1 < netstat.size(); i++) {
            String[] names = netstat.get(i).split("\\s+");
            String[] values = netstat.get(i + 1).split("\\s+");
            if (names.length == values.length && names[0].equals("TcpExt:") && values[0].equals("TcpExt:")) {
                for (int j = 1; j < names.length; j++) {
                    if (names[j].equals("ListenOverflows")) {
                        return OptionalLong.of(Long.parseLong(values[j]));
                    }
                }
            }
        }
        return OptionalLong.empty();
    }
}
