package io.huddle.benchmarks;

import io.huddle.core.spi.CoordinatorStatistics;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The line protocol between {@link Fleet} (the driver) and each {@link FleetWorker} process: the
 * driver writes commands to the worker's stdin, one a line; the worker answers on its stdout, each
 * answer a line starting with {@link #PREFIX}, so that anything else a library prints there cannot be
 * mistaken for an answer (the worker also points {@code System.out} at stderr).
 *
 * <pre>
 * driver: round huddle 10 7 1733000000000   contender, keys, round id, release instant (epoch ms)
 * worker: @fleet done 7 calls=1 late=412 gc=3 load-from=2100 load-to=202500 failures=0 leases=1 waits=0 holdersLost=0 leasesLost=0 fallbacks=0 waits-us=203001,203540,...
 * driver: clean                             delete the run's keys from Redis (one worker)
 * worker: @fleet cleaned 0
 * driver: quit
 * </pre>
 *
 * The worker greets with {@code @fleet ready <pid>} once its caches are built, and answers a command
 * it cannot carry out with {@code @fleet error <message>}.
 */
final class FleetProtocol {
    /** What starts every line the worker means for the driver. */
    static final String PREFIX = "@fleet ";

    private FleetProtocol() {}

    /** Who answers the users of a round. */
    enum Contender {
        HUDDLE("huddle", "Huddle SharedCache (near cache + Redis)"),
        CAFFEINE("caffeine", "Caffeine per server, get(k, fn)");

        final String wire;
        final String label;

        Contender(String wire, String label) {
            this.wire = wire;
            this.label = label;
        }

        static Contender ofWire(String wire) {
            for (Contender contender : values()) {
                if (contender.wire.equals(wire)) {
                    return contender;
                }
            }
            throw new IllegalArgumentException("no contender '" + wire + "'");
        }
    }

    /** A command from the driver. */
    sealed interface Command permits Round, Clean, Quit {}

    /**
     * Run one round: every user of the process asks its key of {@code keys} cold keys (user {@code
     * g} of the fleet asks key {@code g % keys}) at {@code releaseAtMillis}, through {@code contender}.
     */
    record Round(Contender contender, int keys, int roundId, long releaseAtMillis) implements Command {
        Round {
            if (keys < 1 || roundId < 0) {
                throw new IllegalArgumentException(
                        "keys must be positive and the round id not negative: " + keys + ", " + roundId);
            }
        }

        /** The id of key {@code index} of this round: new in every round, so every round starts cold. */
        String key(int index) {
            return "round" + roundId + "-key" + index;
        }
    }

    /** Delete the run's keys from Redis. */
    record Clean() implements Command {}

    /** Close the caches and exit. */
    record Quit() implements Command {}

    static String format(Command command) {
        if (command instanceof Round round) {
            return String.format(
                    Locale.ROOT,
                    "round %s %d %d %d",
                    round.contender().wire,
                    round.keys(),
                    round.roundId(),
                    round.releaseAtMillis());
        }
        return command instanceof Clean ? "clean" : "quit";
    }

    static Command parseCommand(String line) {
        String[] words = ProtocolLines.words(line);
        try {
            return switch (words[0]) {
                case "round" -> {
                    ProtocolLines.requireWords(words, 5);
                    yield new Round(
                            Contender.ofWire(words[1]),
                            Integer.parseInt(words[2]),
                            Integer.parseInt(words[3]),
                            Long.parseLong(words[4]));
                }
                case "clean" -> new Clean();
                case "quit" -> new Quit();
                default -> throw new IllegalArgumentException("unknown command");
            };
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad command '" + line + "': " + e.getMessage(), e);
        }
    }

    /**
     * What one process measured in one round.
     *
     * @param roundId the round answered
     * @param loaderCalls how many times the loader ran in this process
     * @param lateMicros how long after the release instant the process actually released its users
     * @param gcMillis time the process spent collecting garbage during the round
     * @param firstLoadStartMicros when the process's first load of the round started, from the
     *     release instant, or -1 if it loaded nothing
     * @param lastLoadEndMicros when its last load ended, from the release instant, or -1
     * @param failures users that got an error or a wrong value
     * @param coordinator what the process's load coordinator did during the round (zero for Caffeine)
     * @param waitMicros each user's wait, from the release instant to the answer, in microseconds
     */
    record Done(
            int roundId,
            int loaderCalls,
            long lateMicros,
            long gcMillis,
            long firstLoadStartMicros,
            long lastLoadEndMicros,
            int failures,
            CoordinatorStatistics coordinator,
            long[] waitMicros) {}

    static String format(Done done) {
        CoordinatorStatistics c = done.coordinator();
        return PREFIX
                + String.format(
                        Locale.ROOT,
                        "done %d calls=%d late=%d gc=%d load-from=%d load-to=%d failures=%d leases=%d waits=%d holdersLost=%d leasesLost=%d"
                                + " fallbacks=%d waits-us=%s",
                        done.roundId(),
                        done.loaderCalls(),
                        done.lateMicros(),
                        done.gcMillis(),
                        done.firstLoadStartMicros(),
                        done.lastLoadEndMicros(),
                        done.failures(),
                        c.leasesTaken(),
                        c.waitsOnOtherServers(),
                        c.holdersLost(),
                        c.leasesLost(),
                        c.fallbacks(),
                        Arrays.stream(done.waitMicros())
                                .mapToObj(Long::toString)
                                .collect(Collectors.joining(",")));
    }

    /** Parses a {@code done} answer, without {@link #PREFIX}. */
    static Done parseDone(String answer) {
        String[] words = ProtocolLines.words(answer);
        try {
            if (words.length < 2 || !words[0].equals("done")) {
                throw new IllegalArgumentException("not a done answer");
            }
            Map<String, String> fields = ProtocolLines.fields(words, 2);
            int roundId = Integer.parseInt(words[1]);
            int calls = Integer.parseInt(field(fields, "calls"));
            long late = Long.parseLong(field(fields, "late"));
            long gc = Long.parseLong(field(fields, "gc"));
            long loadFrom = Long.parseLong(field(fields, "load-from"));
            long loadTo = Long.parseLong(field(fields, "load-to"));
            int failures = Integer.parseInt(field(fields, "failures"));
            CoordinatorStatistics coordinator = new CoordinatorStatistics(
                    Long.parseLong(field(fields, "leases")),
                    Long.parseLong(field(fields, "waits")),
                    Long.parseLong(field(fields, "holdersLost")),
                    Long.parseLong(field(fields, "leasesLost")),
                    Long.parseLong(field(fields, "fallbacks")));
            String waits = field(fields, "waits-us");
            long[] waitMicros = waits.isEmpty()
                    ? new long[0]
                    : Arrays.stream(waits.split(",")).mapToLong(Long::parseLong).toArray();
            return new Done(roundId, calls, late, gc, loadFrom, loadTo, failures, coordinator, waitMicros);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "bad answer '" + ProtocolLines.abbreviate(answer) + "': " + e.getMessage(), e);
        }
    }

    /**
     * The value at {@code percent} of the sorted values, by nearest rank: the smallest value with at
     * least {@code percent}% of the values at or below it.
     */
    static long percentile(long[] sorted, double percent) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        if (!(percent > 0 && percent <= 100)) {
            throw new IllegalArgumentException("percent must be in (0, 100], was " + percent);
        }
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return sorted[Math.max(rank, 1) - 1];
    }

    private static String field(Map<String, String> fields, String name) {
        return ProtocolLines.field(fields, name);
    }
}
