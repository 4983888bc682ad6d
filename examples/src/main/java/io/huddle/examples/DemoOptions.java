package io.huddle.examples;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The demo's command line. Every option has a default, so no option is needed.
 *
 * @param backend where the shared cache lives
 * @param nameSearch whether the simulated plan has name search (off: the seed's 34-call roster scan)
 * @param latency the simulated upstream's delay per answer
 * @param users the concurrent-user counts of the multi-user table
 * @param redis the Redis server for {@code --backend redis}
 * @param help whether to print the usage and stop
 */
record DemoOptions(
        Backend backend, boolean nameSearch, Duration latency, List<Integer> users, URI redis, boolean help) {

    static final String USAGE = """
            usage: demo [--backend caffeine|ehcache|redis|near] [--name-search on|off] [--latency-ms N]
                        [--users 10,100,1000] [--redis redis://127.0.0.1:6379] [--help]

              --backend       where the shared cache lives (default caffeine: in this process;
                              redis: in Redis, one load per key across servers; near: Caffeine
                              in front of Redis)
              --name-search   whether the simulated API plan can search players by name
                              (default off: players are found by scanning the 32 rosters)
              --latency-ms    delay of each simulated upstream answer, 0 to 1000 (default 0)
              --users         concurrent users per row of the multi-user table (default 10,100,1000)
              --redis         the Redis server for --backend redis and near
                              (default redis://127.0.0.1:6379)
            """;

    /** The slowest simulated answer: a cold roster scan (33 calls in a row) then takes 33 s. */
    static final int MAX_LATENCY_MS = 1000;

    /**
     * Reads the command line.
     *
     * @throws IllegalArgumentException naming the option and what it accepts, for anything else
     */
    static DemoOptions parse(String... args) {
        OptionValues.Given given =
                OptionValues.read(args, Set.of("--backend", "--name-search", "--latency-ms", "--users", "--redis"));
        return new DemoOptions(
                given.get("--backend", Backend.CAFFEINE, Backend::parse),
                given.get("--name-search", false, OptionValues::onOff),
                given.get(
                        "--latency-ms",
                        Duration.ZERO,
                        (option, value) -> Duration.ofMillis(OptionValues.number(option, value, 0, MAX_LATENCY_MS))),
                given.get("--users", List.of(10, 100, 1000), DemoOptions::users),
                given.get("--redis", URI.create("redis://127.0.0.1:6379"), OptionValues::redis),
                given.help());
    }

    private static List<Integer> users(String option, String value) {
        List<Integer> users = new ArrayList<>();
        for (String part : value.split(",")) {
            users.add(OptionValues.number(option, part, 1, 10_000));
        }
        return List.copyOf(users);
    }
}
