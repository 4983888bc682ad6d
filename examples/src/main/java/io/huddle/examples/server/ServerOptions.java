package io.huddle.examples.server;

import io.huddle.examples.Backend;
import io.huddle.examples.OptionValues;
import io.huddle.sim.UpstreamSimulator;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * The server's command line and environment. Every option has a default: with none, the server
 * runs on Caffeine in front of an in-process upstream simulator.
 *
 * @param port the HTTP port (0: any free one)
 * @param backend where the shared cache lives
 * @param redis the Redis server for the Redis backends
 * @param upstream the provider: the simulator in this process, or the real API
 * @param apiUrl the real API's base URL ({@code HUDDLE_API_URL}), for {@link Upstream#API}
 * @param apiKey the real API's key ({@code HUDDLE_API_KEY}), for {@link Upstream#API}; never printed
 * @param plan the plan's requests per minute, shared by every server on the key
 * @param nameSearch whether the plan can search players by name
 * @param latency the simulator's delay per answer
 * @param season the current season
 * @param dataDirectory the Ehcache disk tier's directory
 * @param ahead whether popular players are warmed and related ones prefetched, on spare budget
 * @param snapshot the file the cache is backed up to and restored from at start-up, or null for none
 * @param snapshotEvery how often the backup is written (zero: only at shutdown)
 * @param help whether to print the usage and stop
 */
record ServerOptions(
        int port,
        Backend backend,
        URI redis,
        Upstream upstream,
        URI apiUrl,
        String apiKey,
        int plan,
        boolean nameSearch,
        Duration latency,
        int season,
        Path dataDirectory,
        boolean ahead,
        Path snapshot,
        Duration snapshotEvery,
        boolean help) {

    /** Where the answers come from. */
    enum Upstream {
        /** upstream-sim, started in this process. */
        SIM,
        /** The balldontlie NFL API. */
        API
    }

    static final String USAGE = """
            usage: server [--port 8080] [--backend caffeine|ehcache|redis|near] [--redis redis://127.0.0.1:6379]
                          [--upstream sim|api] [--plan 60] [--name-search on|off] [--latency-ms 75]
                          [--season 2024] [--data-dir DIR] [--ahead on|off]
                          [--snapshot FILE|off] [--snapshot-every-min 5] [--help]

              --port          the HTTP port (default 8080; 0 takes any free port, with a data
                              directory of its own and no backup unless --snapshot names one)
              --backend       where the shared cache lives (default caffeine, in this process;
                              redis: shared by every server on the Redis; near: Caffeine in front
                              of Redis; ehcache: heap, off-heap and a disk tier under --data-dir)
              --redis         the Redis server of the redis and near backends
              --upstream      sim (default): upstream-sim in this process, the 32 real teams and
                              synthetic stats; api: the balldontlie NFL API at HUDDLE_API_URL
                              (default https://api.balldontlie.io) with the key in HUDDLE_API_KEY
              --plan          the plan's requests per minute, for every server on the key (default 60)
              --name-search   whether the plan can search players by name (default on)
              --latency-ms    the simulator's delay per answer, 0 to 1000 (default 75)
              --season        the current season (default %d)
              --data-dir      the Ehcache disk tier's directory, one per server (default
                              huddle-data-<port> in the temp directory)
              --ahead         warm the popular players and prefetch the ones users ask next, on the
                              budget's spare permits only (default on)
              --snapshot      back the cache up to this file, and restore it from there at start-up
                              before the first answer (default: beside the data directory, named
                              after it with .snapshot; off: none)
              --snapshot-every-min  minutes between backups, 0 for only at shutdown (default 5)
            """.formatted(UpstreamSimulator.SEASON);

    private static final java.util.concurrent.atomic.AtomicInteger PASSING =
            new java.util.concurrent.atomic.AtomicInteger();

    static final URI DEFAULT_API_URL = URI.create("https://api.balldontlie.io");

    /** The key the in-process simulator is given: not a secret, but never shown either. */
    static final String SIM_API_KEY = "huddle-sim-key";

    /**
     * Reads the command line and, for the real API, the environment.
     *
     * @throws IllegalArgumentException naming the option or variable and what it accepts
     */
    static ServerOptions parse(Map<String, String> environment, String... args) {
        OptionValues.Given given = OptionValues.read(
                args,
                Set.of(
                        "--port",
                        "--backend",
                        "--redis",
                        "--upstream",
                        "--plan",
                        "--name-search",
                        "--latency-ms",
                        "--season",
                        "--data-dir",
                        "--ahead",
                        "--snapshot",
                        "--snapshot-every-min"));
        Upstream upstream = given.get("--upstream", Upstream.SIM, ServerOptions::upstream);
        URI apiUrl = DEFAULT_API_URL;
        String apiKey = SIM_API_KEY;
        if (upstream == Upstream.API && !given.help()) {
            apiUrl = apiUrl(environment.get("HUDDLE_API_URL"));
            apiKey = environment.getOrDefault("HUDDLE_API_KEY", "");
            if (apiKey.isBlank()) {
                throw new IllegalArgumentException("--upstream api needs the API key in HUDDLE_API_KEY");
            }
        }
        int port = given.get("--port", 8080, (option, value) -> OptionValues.number(option, value, 0, 65_535));
        // a server on any free port is a passing one (a test's, a benchmark's): its own directory, no
        // backup unless asked for; on a fixed port the same server finds its files again
        boolean passing = port == 0;
        Path dataDirectory = given.get(
                "--data-dir",
                Path.of(
                        System.getProperty("java.io.tmpdir"),
                        passing
                                ? "huddle-data-" + ProcessHandle.current().pid() + "-" + PASSING.incrementAndGet()
                                : "huddle-data-" + port),
                (option, value) -> Path.of(value));
        return new ServerOptions(
                port,
                given.get("--backend", Backend.CAFFEINE, Backend::parse),
                given.get("--redis", URI.create("redis://127.0.0.1:6379"), OptionValues::redis),
                upstream,
                apiUrl,
                apiKey,
                given.get("--plan", 60, (option, value) -> OptionValues.number(option, value, 1, 1_000_000)),
                given.get("--name-search", true, OptionValues::onOff),
                given.get(
                        "--latency-ms",
                        Duration.ofMillis(75),
                        (option, value) -> Duration.ofMillis(OptionValues.number(option, value, 0, 1000))),
                given.get(
                        "--season",
                        UpstreamSimulator.SEASON,
                        (option, value) -> OptionValues.number(option, value, 1920, 2100)),
                dataDirectory,
                given.get("--ahead", true, OptionValues::onOff),
                given.get(
                        "--snapshot",
                        passing ? null : dataDirectory.resolveSibling(dataDirectory.getFileName() + ".snapshot"),
                        (option, value) -> value.equals("off") ? null : Path.of(value)),
                given.get(
                        "--snapshot-every-min",
                        Duration.ofMinutes(5),
                        (option, value) -> Duration.ofMinutes(OptionValues.number(option, value, 0, 24 * 60))),
                given.help());
    }

    private static Upstream upstream(String option, String value) {
        return switch (value) {
            case "sim" -> Upstream.SIM;
            case "api" -> Upstream.API;
            default -> throw new IllegalArgumentException(option + " must be sim or api, was '" + value + "'");
        };
    }

    private static URI apiUrl(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_API_URL;
        }
        try {
            URI uri = new URI(value.strip());
            if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException();
            }
            return uri;
        } catch (java.net.URISyntaxException | IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "HUDDLE_API_URL must be an http or https URL such as " + DEFAULT_API_URL + ", was '" + value + "'");
        }
    }

    @Override
    public String toString() {
        return "ServerOptions{port=" + port + ", backend=" + backend + ", upstream=" + upstream + ", plan=" + plan
                + "/min}";
    }
}
