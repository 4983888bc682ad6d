package io.huddle.examples;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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

    /** The backends the demo can put the shared cache in. */
    enum Backend {
        CAFFEINE,
        EHCACHE,
        REDIS,
        NEAR
    }

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
        Backend backend = Backend.CAFFEINE;
        boolean nameSearch = false;
        Duration latency = Duration.ZERO;
        List<Integer> users = List.of(10, 100, 1000);
        URI redis = URI.create("redis://127.0.0.1:6379");
        boolean help = false;
        for (int i = 0; i < args.length && !help; i++) {
            String option = args[i];
            if (option.equals("--help") || option.equals("-h")) {
                help = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(option + " needs a value, or is not an option");
            }
            String value = args[++i];
            switch (option) {
                case "--backend" -> backend = backend(value);
                case "--name-search" -> nameSearch = onOff(option, value);
                case "--latency-ms" -> latency = Duration.ofMillis(number(option, value, 0, MAX_LATENCY_MS));
                case "--users" -> users = users(value);
                case "--redis" -> redis = redis(value);
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        return new DemoOptions(backend, nameSearch, latency, users, redis, help);
    }

    private static Backend backend(String value) {
        for (Backend backend : Backend.values()) {
            if (backend.name().equalsIgnoreCase(value)) {
                return backend;
            }
        }
        throw new IllegalArgumentException("--backend must be caffeine, ehcache, redis or near, was '" + value + "'");
    }

    private static boolean onOff(String option, String value) {
        return switch (value) {
            case "on", "true" -> true;
            case "off", "false" -> false;
            default -> throw new IllegalArgumentException(option + " must be on or off, was '" + value + "'");
        };
    }

    private static int number(String option, String value, int min, int max) {
        try {
            int number = Integer.parseInt(value.strip());
            if (number < min || number > max) {
                throw new IllegalArgumentException(
                        option + " must be between " + min + " and " + max + ", was " + number);
            }
            return number;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a whole number, was '" + value + "'");
        }
    }

    private static List<Integer> users(String value) {
        List<Integer> users = new ArrayList<>();
        for (String part : value.split(",")) {
            users.add(number("--users", part, 1, 10_000));
        }
        return List.copyOf(users);
    }

    /** {@code redis[s]://[user:password@]host[:port][/database]}; the message never repeats a password. */
    private static URI redis(String value) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (java.net.URISyntaxException e) {
            throw badRedis(value);
        }
        boolean redisScheme = "redis".equals(uri.getScheme()) || "rediss".equals(uri.getScheme());
        String path = uri.getPath() == null ? "" : uri.getPath();
        if (!redisScheme || uri.getHost() == null || uri.getQuery() != null || !path.matches("(/\\d{1,2})?/?")) {
            throw badRedis(value);
        }
        return uri;
    }

    private static IllegalArgumentException badRedis(String value) {
        String shown = value.replaceFirst("//[^/@]*@", "//***@");
        return new IllegalArgumentException(
                "--redis must look like redis://host:port or redis://user:password@host:port/0, was '" + shown + "'");
    }
}
