package io.huddle.benchmarks;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The main loop of a worker process ({@link WorkerProcess} is the driver's side): stdout carries the
 * protocol alone (anything printed through {@code System.out} goes to stderr), the worker greets with
 * {@code <prefix>ready <pid>} once built, carries out each command line read from stdin, answers a
 * command it cannot carry out with {@code <prefix>error <message>}, and closes when told to quit or
 * when stdin ends (the driver is gone).
 */
final class WorkerMain {
    private static final Logger log = LoggerFactory.getLogger(WorkerMain.class);

    private WorkerMain() {}

    /** What a worker does with its commands. */
    interface Commands extends AutoCloseable {
        /** Whether the line tells the worker to quit. */
        boolean isQuit(String line);

        /**
         * Carries out one command line.
         *
         * @return the answer lines, each starting with the prefix
         */
        List<String> carryOut(String line);

        @Override
        void close();
    }

    /** Builds the worker from its {@code name=value} arguments and runs it until quit or end of stdin. */
    static void run(String[] args, String prefix, Function<Map<String, String>, Commands> build) throws IOException {
        PrintStream protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        Commands worker = build.apply(options(args));
        try {
            protocol.println(prefix + "ready " + ProcessHandle.current().pid());
            BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = commands.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    if (worker.isQuit(line)) {
                        break;
                    }
                    worker.carryOut(line).forEach(protocol::println);
                } catch (RuntimeException e) {
                    log.error("the command '{}' failed", abbreviate(line), e);
                    protocol.println(prefix + "error " + oneLine(e.toString()));
                }
            }
        } finally {
            worker.close();
        }
    }

    /** The arguments, each {@code name=value}, by name. */
    static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            int equals = arg.indexOf('=');
            if (equals < 1) {
                throw new IllegalArgumentException("arguments are name=value, not '" + arg + "'");
            }
            options.put(arg.substring(0, equals), arg.substring(equals + 1));
        }
        return options;
    }

    /** The value of a required argument. */
    static String option(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("missing argument " + name + "=...");
        }
        return value;
    }

    static String oneLine(String text) {
        return text.replaceAll("[\\r\\n]+", " | ");
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
