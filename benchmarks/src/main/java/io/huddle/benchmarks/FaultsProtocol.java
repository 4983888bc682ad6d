package io.huddle.benchmarks;

import io.huddle.core.spi.BudgetStatistics;
import io.huddle.core.spi.CoordinatorStatistics;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The line protocol between {@link Faults} (the driver) and each {@link FaultsWorker} process, in the
 * manner of {@link FleetProtocol}: commands on the worker's stdin, one a line; answers on its stdout,
 * each starting with {@link #PREFIX}.
 *
 * <pre>
 * worker: @faults ready 4242
 * driver: names Nick+Carter,Omar+Wells,...        the long-tail players this server's users ask about
 * worker: @faults names 421
 * driver: phase 0 popular                          phase 0 starts now: users start, popular questions only
 * worker: @faults phase-started 0
 * driver: phase 1 mixed                            phase 1 starts now: popular and long-tail questions
 * worker: @faults phase-started 1
 * ...
 * driver: stop                                     users stop asking; their last answers are awaited
 * worker: @faults stopped 0                        users still without an answer (not counted)
 * driver: report
 * worker: @faults phase-report 0 popular-ok=9870 popular-failed=- popular-latency=... stale=0 ...
 * worker: @faults phase-report 1 ...
 * worker: @faults requests P1733000000123/name-2 S1733000000201/name-2 L1733000001000 ...
 * worker: @faults reported 7
 * driver: quit
 * </pre>
 *
 * An answer is counted in the phase in which its question was asked; the engine's, budget's,
 * coordinator's and write-back's counters of a phase are what changed between the worker's receipt
 * of the phase's command and of the next (or of {@code stop}).
 */
final class FaultsProtocol {
    /** What starts every line the worker means for the driver. */
    static final String PREFIX = "@faults ";

    /** What a failure type may hold on the wire; other characters become {@code _}. */
    private static final Pattern NOT_IN_TYPE = Pattern.compile("[^A-Za-z0-9/()._-]");

    private FaultsProtocol() {}

    /** Which questions the users ask during a phase. */
    enum Mix {
        /** Only the popular comparisons. */
        POPULAR("popular"),
        /** The popular comparisons and, now and then, a long-tail question. */
        MIXED("mixed");

        final String wire;

        Mix(String wire) {
            this.wire = wire;
        }

        static Mix ofWire(String wire) {
            for (Mix mix : values()) {
                if (mix.wire.equals(wire)) {
                    return mix;
                }
            }
            throw new IllegalArgumentException("no mix '" + wire + "'");
        }
    }

    /** A command from the driver. */
    sealed interface Command permits Names, Phase, Stop, Report, Quit {}

    /** The long-tail players this worker's users ask about, each once until all have been. */
    record Names(List<String> names) implements Command {
        Names {
            names = List.copyOf(names);
            if (names.isEmpty() || names.stream().anyMatch(String::isBlank)) {
                throw new IllegalArgumentException("names must be given and not blank");
            }
        }
    }

    /** Phase {@code index} begins now (the first one also starts the users). */
    record Phase(int index, Mix mix) implements Command {
        Phase {
            if (index < 0) {
                throw new IllegalArgumentException("the phase index must not be negative, was " + index);
            }
        }
    }

    /** The users stop asking; the worker waits for the answers under way. */
    record Stop() implements Command {}

    /** Send every phase's report and the upstream requests. */
    record Report() implements Command {}

    /** Close the caches and exit. */
    record Quit() implements Command {}

    static String format(Command command) {
        if (command instanceof Names names) {
            StringJoiner joined = new StringJoiner(",");
            names.names().forEach(name -> joined.add(URLEncoder.encode(name, StandardCharsets.UTF_8)));
            return "names " + joined;
        }
        if (command instanceof Phase phase) {
            return "phase " + phase.index() + " " + phase.mix().wire;
        }
        if (command instanceof Stop) {
            return "stop";
        }
        return command instanceof Report ? "report" : "quit";
    }

    static Command parseCommand(String line) {
        String[] words = ProtocolLines.words(line);
        try {
            return switch (words[0]) {
                case "names" -> {
                    ProtocolLines.requireWords(words, 2);
                    yield new Names(Arrays.stream(words[1].split(","))
                            .map(name -> URLDecoder.decode(name, StandardCharsets.UTF_8))
                            .toList());
                }
                case "phase" -> {
                    ProtocolLines.requireWords(words, 3);
                    yield new Phase(Integer.parseInt(words[1]), Mix.ofWire(words[2]));
                }
                case "stop" -> new Stop();
                case "report" -> new Report();
                case "quit" -> new Quit();
                default -> throw new IllegalArgumentException("unknown command");
            };
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "bad command '" + ProtocolLines.abbreviate(line) + "': " + e.getMessage(), e);
        }
    }

    /**
     * The answers to one sort of question (popular or long tail) in one phase.
     *
     * @param ok questions answered
     * @param failed questions that got an exception instead, by type (see {@link #type})
     * @param slow answers, failed ones included, that took more than {@link #SLOW_MICROS}
     * @param latency every answer's time, failed ones included
     */
    record Answers(long ok, Map<String, Long> failed, long slow, LatencyHistogram.Snapshot latency) {
        /** An answer slower than this (1 s) is counted as slow. */
        static final long SLOW_MICROS = 1_000_000;

        static final Answers EMPTY = new Answers(0, Map.of(), 0, LatencyHistogram.Snapshot.EMPTY);

        Answers {
            failed = Map.copyOf(failed);
        }

        long failures() {
            return failed.values().stream().mapToLong(Long::longValue).sum();
        }

        long total() {
            return ok + failures();
        }

        Answers plus(Answers other) {
            Map<String, Long> sum = new TreeMap<>(failed);
            other.failed.forEach((type, count) -> sum.merge(type, count, Long::sum));
            return new Answers(ok + other.ok, sum, slow + other.slow, latency.plus(other.latency));
        }
    }

    /** A failure type as it may stand on the wire: no spaces, commas or colons. */
    static String type(String type) {
        return NOT_IN_TYPE.matcher(type).replaceAll("_");
    }

    /**
     * What the engine did during a phase: the {@link io.huddle.core.api.CacheStatistics} counters
     * the report shows.
     */
    record EngineCounts(
            long requests,
            long hits,
            long staleServed,
            long failSafeThrottled,
            long loads,
            long loadFailures,
            long loadsAbandoned,
            long backendErrors) {
        static final EngineCounts EMPTY = new EngineCounts(0, 0, 0, 0, 0, 0, 0, 0);

        EngineCounts plus(EngineCounts o) {
            return new EngineCounts(
                    requests + o.requests,
                    hits + o.hits,
                    staleServed + o.staleServed,
                    failSafeThrottled + o.failSafeThrottled,
                    loads + o.loads,
                    loadFailures + o.loadFailures,
                    loadsAbandoned + o.loadsAbandoned,
                    backendErrors + o.backendErrors);
        }

        EngineCounts minus(EngineCounts o) {
            return new EngineCounts(
                    requests - o.requests,
                    hits - o.hits,
                    staleServed - o.staleServed,
                    failSafeThrottled - o.failSafeThrottled,
                    loads - o.loads,
                    loadFailures - o.loadFailures,
                    loadsAbandoned - o.loadsAbandoned,
                    backendErrors - o.backendErrors);
        }
    }

    /**
     * What the near cache wrote back to Redis after Redis lost its entries.
     *
     * @param written entries stored
     * @param refusedAsOlder entries Redis already held newer (written back by another server)
     * @param rounds write-back rounds started
     */
    record WriteBack(long written, long refusedAsOlder, long rounds) {
        static final WriteBack EMPTY = new WriteBack(0, 0, 0);

        WriteBack plus(WriteBack o) {
            return new WriteBack(written + o.written, refusedAsOlder + o.refusedAsOlder, rounds + o.rounds);
        }

        WriteBack minus(WriteBack o) {
            return new WriteBack(written - o.written, refusedAsOlder - o.refusedAsOlder, rounds - o.rounds);
        }
    }

    /** One worker's phase (or, summed, the fleet's). */
    record PhaseReport(
            int index,
            Answers popular,
            Answers longTail,
            EngineCounts engine,
            BudgetStatistics budget,
            CoordinatorStatistics coordinator,
            WriteBack writeBack) {
        static PhaseReport empty(int index) {
            return new PhaseReport(
                    index,
                    Answers.EMPTY,
                    Answers.EMPTY,
                    EngineCounts.EMPTY,
                    BudgetStatistics.EMPTY,
                    CoordinatorStatistics.EMPTY,
                    WriteBack.EMPTY);
        }

        PhaseReport plus(PhaseReport o) {
            if (o.index != index) {
                throw new IllegalArgumentException("phase " + o.index + " added to phase " + index);
            }
            return new PhaseReport(
                    index,
                    popular.plus(o.popular),
                    longTail.plus(o.longTail),
                    engine.plus(o.engine),
                    budget.plus(o.budget),
                    coordinator.plus(o.coordinator),
                    writeBack.plus(o.writeBack));
        }
    }

    static String format(PhaseReport r) {
        EngineCounts e = r.engine();
        BudgetStatistics b = r.budget();
        CoordinatorStatistics c = r.coordinator();
        WriteBack w = r.writeBack();
        return PREFIX
                + String.format(
                        Locale.ROOT,
                        "phase-report %d %s %s requests=%d hits=%d stale=%d throttled=%d loads=%d load-failures=%d"
                                + " abandoned=%d backend-errors=%d user-permits=%d background-permits=%d refused=%d"
                                + " fallback-permits=%d leases=%d waits=%d holders-lost=%d leases-lost=%d"
                                + " coordinator-fallbacks=%d written-back=%d written-back-refused=%d write-back-rounds=%d",
                        r.index(),
                        answers("popular", r.popular()),
                        answers("long-tail", r.longTail()),
                        e.requests(),
                        e.hits(),
                        e.staleServed(),
                        e.failSafeThrottled(),
                        e.loads(),
                        e.loadFailures(),
                        e.loadsAbandoned(),
                        e.backendErrors(),
                        b.userPermits(),
                        b.backgroundPermits(),
                        b.refused(),
                        b.fallbackPermits(),
                        c.leasesTaken(),
                        c.waitsOnOtherServers(),
                        c.holdersLost(),
                        c.leasesLost(),
                        c.fallbacks(),
                        w.written(),
                        w.refusedAsOlder(),
                        w.rounds());
    }

    private static String answers(String name, Answers answers) {
        StringJoiner failed = new StringJoiner(",");
        new TreeMap<>(answers.failed()).forEach((type, count) -> failed.add(type(type) + ":" + count));
        return name + "-ok=" + answers.ok() + " " + name + "-failed="
                + (answers.failed().isEmpty() ? "-" : failed) + " " + name + "-slow=" + answers.slow() + " " + name
                + "-latency=" + answers.latency().format();
    }

    /** Parses a {@code phase-report} answer, without {@link #PREFIX}. */
    static PhaseReport parsePhaseReport(String answer) {
        String[] words = ProtocolLines.words(answer);
        try {
            if (words.length < 2 || !words[0].equals("phase-report")) {
                throw new IllegalArgumentException("not a phase-report answer");
            }
            Map<String, String> f = ProtocolLines.fields(words, 2);
            return new PhaseReport(
                    Integer.parseInt(words[1]),
                    parseAnswers(f, "popular"),
                    parseAnswers(f, "long-tail"),
                    new EngineCounts(
                            ProtocolLines.longField(f, "requests"),
                            ProtocolLines.longField(f, "hits"),
                            ProtocolLines.longField(f, "stale"),
                            ProtocolLines.longField(f, "throttled"),
                            ProtocolLines.longField(f, "loads"),
                            ProtocolLines.longField(f, "load-failures"),
                            ProtocolLines.longField(f, "abandoned"),
                            ProtocolLines.longField(f, "backend-errors")),
                    new BudgetStatistics(
                            ProtocolLines.longField(f, "user-permits"),
                            ProtocolLines.longField(f, "background-permits"),
                            ProtocolLines.longField(f, "refused"),
                            ProtocolLines.longField(f, "fallback-permits")),
                    new CoordinatorStatistics(
                            ProtocolLines.longField(f, "leases"),
                            ProtocolLines.longField(f, "waits"),
                            ProtocolLines.longField(f, "holders-lost"),
                            ProtocolLines.longField(f, "leases-lost"),
                            ProtocolLines.longField(f, "coordinator-fallbacks")),
                    new WriteBack(
                            ProtocolLines.longField(f, "written-back"),
                            ProtocolLines.longField(f, "written-back-refused"),
                            ProtocolLines.longField(f, "write-back-rounds")));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "bad answer '" + ProtocolLines.abbreviate(answer) + "': " + e.getMessage(), e);
        }
    }

    private static Answers parseAnswers(Map<String, String> fields, String name) {
        Map<String, Long> failed = new TreeMap<>();
        String text = ProtocolLines.field(fields, name + "-failed");
        if (!text.equals("-")) {
            for (String each : text.split(",")) {
                int colon = each.lastIndexOf(':');
                if (colon < 1) {
                    throw new IllegalArgumentException("'" + each + "' is not <type>:<count>");
                }
                failed.merge(each.substring(0, colon), Long.parseLong(each.substring(colon + 1)), Long::sum);
            }
        }
        return new Answers(
                ProtocolLines.longField(fields, name + "-ok"),
                failed,
                ProtocolLines.longField(fields, name + "-slow"),
                LatencyHistogram.Snapshot.parse(ProtocolLines.field(fields, name + "-latency")));
    }

    /** What an {@link UpstreamEvent} records. */
    enum EventKind {
        /** A request sent (a permit of the budget taken) for popular items. */
        POPULAR_REQUEST('P'),
        /** A request sent for long-tail items. */
        LONG_TAIL_REQUEST('L'),
        /** A request sent for anything else (the team list, a roster). */
        OTHER_REQUEST('O'),
        /** A call of the provider for popular items that answered: the items are loaded. */
        POPULAR_LOADED('S');

        final char wire;

        EventKind(char wire) {
            this.wire = wire;
        }

        boolean isRequest() {
            return this != POPULAR_LOADED;
        }

        static EventKind ofWire(char wire) {
            for (EventKind kind : values()) {
                if (kind.wire == wire) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("no event kind '" + wire + "'");
        }
    }

    /**
     * A request a server sent to the provider, or a call of the provider that loaded popular items.
     *
     * @param server the server's index (not on the wire: the driver knows whom it reads)
     * @param atMillis when, in epoch milliseconds (the processes share the machine's clock)
     * @param items the popular items it was for ({@code name-2}: the id lookup of the player with id
     *     2, {@code stats-2}: his season stats); empty for other requests
     */
    record UpstreamEvent(int server, EventKind kind, long atMillis, List<String> items) {
        UpstreamEvent {
            items = List.copyOf(items);
        }

        String format() {
            return kind.wire + Long.toString(atMillis) + (items.isEmpty() ? "" : "/" + String.join("+", items));
        }

        static UpstreamEvent parse(int server, String word) {
            if (word.length() < 2) {
                throw new IllegalArgumentException("'" + word + "' is not an event");
            }
            EventKind kind = EventKind.ofWire(word.charAt(0));
            int slash = word.indexOf('/');
            long at = Long.parseLong(slash < 0 ? word.substring(1) : word.substring(1, slash));
            List<String> items =
                    slash < 0 ? List.of() : List.of(word.substring(slash + 1).split("\\+"));
            return new UpstreamEvent(server, kind, at, items);
        }
    }

    static String formatEvents(List<UpstreamEvent> events) {
        StringBuilder line = new StringBuilder(PREFIX).append("requests");
        events.forEach(event -> line.append(' ').append(event.format()));
        return line.toString();
    }

    /** Parses server {@code server}'s {@code requests} answer, without {@link #PREFIX}. */
    static List<UpstreamEvent> parseEvents(int server, String answer) {
        String[] words = ProtocolLines.words(answer);
        if (!words[0].equals("requests")) {
            throw new IllegalArgumentException(
                    "bad answer '" + ProtocolLines.abbreviate(answer) + "': not a requests answer");
        }
        List<UpstreamEvent> events = new ArrayList<>();
        for (int i = 1; i < words.length; i++) {
            try {
                events.add(UpstreamEvent.parse(server, words[i]));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("bad event '" + words[i] + "': " + e.getMessage(), e);
            }
        }
        return events;
    }

    /** The number that ends an answer {@code <word> <n>}, such as {@code stopped 0}. */
    static long parseCount(String answer, String word) {
        String[] words = ProtocolLines.words(answer);
        if (words.length != 2 || !words[0].equals(word)) {
            throw new IllegalArgumentException(
                    "expected '" + word + " <n>', got '" + ProtocolLines.abbreviate(answer) + "'");
        }
        return Long.parseLong(words[1]);
    }
}
