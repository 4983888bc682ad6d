package io.huddle.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A server process that a multi-process benchmark's driver started on this machine, with the
 * driver's java and class path ({@link #javaCommand}): the driver writes commands to its stdin, one a
 * line, and reads its answers from its stdout, each a line starting with the benchmark's prefix; any
 * other line it prints there is passed on to stderr with the worker's name. The worker exits by
 * itself when its stdin closes (see {@link WorkerMain}); {@link #kill()} ends it at once.
 */
final class WorkerProcess {
    private static final String END = "\u0000end";

    final int index;
    private final String name;
    private final String prefix;
    private final Process process;
    private final Writer commands;
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();

    private WorkerProcess(String name, int index, String prefix, Process process) {
        this.name = name;
        this.index = index;
        this.prefix = prefix;
        this.process = process;
        this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(this::readAnswers, name + "-" + index + "-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * The command line of a worker JVM: the driver's java, with {@code -Xmx<heap>}, logging at warn,
     * and the driver's class path, running {@code main} with {@code arguments}.
     */
    static List<String> javaCommand(String heap, Class<?> main, List<String> arguments) {
        String java = ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command =
                new ArrayList<>(List.of(java, "-Xmx" + heap, "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
        if (Runtime.version().feature() >= 24) {
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(arguments);
        return command;
    }

    /**
     * Starts worker {@code index} of a benchmark.
     *
     * @param name what the benchmark calls its workers, in thread names and messages ({@code fleet worker})
     * @param prefix what starts each of its answers on stdout
     * @param stderr where its stderr (its log) goes: the driver's, or a file
     */
    static WorkerProcess start(
            String name, int index, String prefix, List<String> command, ProcessBuilder.Redirect stderr) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(stderr);
        try {
            return new WorkerProcess(name, index, prefix, builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name + " " + index + ": " + builder.command(), e);
        }
    }

    private void readAnswers() {
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith(prefix)) {
                    answers.add(line.substring(prefix.length()));
                } else {
                    System.err.println("[" + name + " " + index + "] " + line);
                }
            }
        } catch (IOException e) {
            // the process is gone: END below says so
        } finally {
            answers.add(END);
        }
    }

    /** Writes one command line to the worker. */
    void send(String line) {
        try {
            commands.write(line + '\n');
            commands.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(name + " " + index + " no longer reads its commands" + exit(), e);
        }
    }

    /**
     * The next answer, without the prefix.
     *
     * @throws IllegalStateException if none comes within the timeout, the worker ended its output, or
     *     it answered {@code error <message>}
     */
    String next(Duration timeout) {
        String answer;
        try {
            answer = answers.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name + " " + index, e);
        }
        if (answer == null) {
            throw new IllegalStateException(name + " " + index + " did not answer within " + timeout);
        }
        if (answer.equals(END)) {
            answers.add(END);
            throw new IllegalStateException(name + " " + index + " ended its output" + exit());
        }
        if (answer.startsWith("error ")) {
            throw new IllegalStateException(name + " " + index + " failed: " + answer.substring(6));
        }
        return answer;
    }

    /** Sends the quit command, closes the worker's stdin and waits up to 30 s for it to exit. */
    void quit(String quitCommand) {
        send(quitCommand);
        try {
            commands.close();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                System.err.println("[huddle-bench] " + name + " " + index + " did not quit within 30 s: killed");
            }
        } catch (IOException e) {
            // it quit already
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Ends the process at once if it still runs. */
    void kill() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }

    private String exit() {
        try {
            if (process.waitFor(5, TimeUnit.SECONDS)) {
                return " (exit code " + process.exitValue() + ")";
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "";
    }
}
