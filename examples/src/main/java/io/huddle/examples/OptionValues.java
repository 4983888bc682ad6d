package io.huddle.examples;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The command lines of the examples' applications: {@code --option value} pairs and {@code --help},
 * and the values they share. Every refusal is an {@link IllegalArgumentException} naming the option
 * and what it accepts.
 */
public final class OptionValues {
    private OptionValues() {}

    /**
     * Reads {@code --option value} pairs, stopping at {@code --help} or {@code -h}.
     *
     * @param known the options the application takes
     * @throws IllegalArgumentException for an unknown option, or one without a value
     */
    public static Given read(String[] args, Set<String> known) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--help") || option.equals("-h")) {
                return new Given(values, true);
            }
            if (!known.contains(option)) {
                throw new IllegalArgumentException("unknown option " + option);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            values.put(option, args[++i]);
        }
        return new Given(values, false);
    }

    /** The options given on a command line. */
    public static final class Given {
        private final Map<String, String> values;
        private final boolean help;

        private Given(Map<String, String> values, boolean help) {
            this.values = Map.copyOf(values);
            this.help = help;
        }

        /** Whether {@code --help} was given. */
        public boolean help() {
            return help;
        }

        /** The option's value read by {@code parse(option, value)}, or the default if not given. */
        public <T> T get(String option, T otherwise, BiFunction<String, String, T> parse) {
            String value = values.get(option);
            return value == null ? otherwise : parse.apply(option, value);
        }
    }

    /** {@code on} or {@code true}, {@code off} or {@code false}. */
    public static boolean onOff(String option, String value) {
        return switch (value) {
            case "on", "true" -> true;
            case "off", "false" -> false;
            default -> throw new IllegalArgumentException(option + " must be on or off, was '" + value + "'");
        };
    }

    /** A whole number from {@code min} to {@code max}. */
    public static int number(String option, String value, int min, int max) {
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

    /**
     * {@code redis[s]://[user:password@]host[:port][/database]}; the message never repeats a
     * password.
     */
    public static URI redis(String option, String value) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (java.net.URISyntaxException e) {
            throw badRedis(option, value);
        }
        boolean redisScheme = "redis".equals(uri.getScheme()) || "rediss".equals(uri.getScheme());
        String path = uri.getPath() == null ? "" : uri.getPath();
        if (!redisScheme || uri.getHost() == null || uri.getQuery() != null || !path.matches("(/\\d{1,2})?/?")) {
            throw badRedis(option, value);
        }
        return uri;
    }

    private static IllegalArgumentException badRedis(String option, String value) {
        String shown = value.replaceFirst("//[^/@]*@", "//***@");
        return new IllegalArgumentException(
                option + " must look like redis://host:port or redis://user:password@host:port/0, was '" + shown + "'");
    }
}
