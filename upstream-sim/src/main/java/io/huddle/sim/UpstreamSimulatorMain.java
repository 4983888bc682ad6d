package io.huddle.sim;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the {@link UpstreamSimulator} as its own process until killed:
 *
 * <pre>
 * java -jar huddle-upstream-sim-VERSION-all.jar [--port 8090] [--host 127.0.0.1] [--no-search]
 *     [--rate-limit N] [--latency-ms N] [--seed N] [--api-key KEY]
 * </pre>
 *
 * Prints the base URL on standard output once it listens.
 */
public final class UpstreamSimulatorMain {
    static final int DEFAULT_PORT = 8090;

    static final String USAGE = "usage: upstream-sim [--port N (default " + DEFAULT_PORT + ")] [--host ADDRESS]"
            + " [--no-search] [--rate-limit PER_MINUTE (0 = off)] [--latency-ms N] [--seed N] [--api-key KEY]";

    private UpstreamSimulatorMain() {}

    /** Starts the simulator with the options and blocks until the process is stopped. */
    public static void main(String[] args) throws InterruptedException {
        UpstreamSimulator.Builder builder;
        try {
            builder = options(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        if (builder == null) {
            System.out.println(USAGE);
            return;
        }
        UpstreamSimulator simulator;
        try {
            simulator = builder.build().start();
        } catch (RuntimeException e) {
            System.err.println("upstream-sim cannot start: " + e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(simulator::close, "upstream-sim-shutdown"));
        System.out.println("upstream simulator (synthetic stats) listening on " + simulator.baseUrl());
        new CountDownLatch(1).await();
    }

    /** The builder the arguments describe, or null when help was asked for. */
    static UpstreamSimulator.Builder options(String[] args) {
        UpstreamSimulator.Builder builder = UpstreamSimulator.builder().port(DEFAULT_PORT);
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            switch (option) {
                case "--help", "-h" -> {
                    return null;
                }
                case "--no-search" -> builder.nameSearch(false);
                case "--port" -> builder.port(number(option, value(args, ++i, option)));
                case "--host" -> builder.host(value(args, ++i, option));
                case "--rate-limit" -> builder.rateLimitPerMinute(number(option, value(args, ++i, option)));
                case "--latency-ms" -> builder.latency(Duration.ofMillis(number(option, value(args, ++i, option))));
                case "--seed" -> builder.seed(longNumber(option, value(args, ++i, option)));
                case "--api-key" -> builder.apiKey(value(args, ++i, option));
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        return builder;
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }

    private static int number(String option, String value) {
        long number = longNumber(option, value);
        if (number != (int) number) {
            throw new IllegalArgumentException(option + " is out of range, was " + value);
        }
        return (int) number;
    }

    private static long longNumber(String option, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a whole number, was '" + value + "'");
        }
    }
}
