package io.huddle.benchmarks;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The worker processes of one benchmark run: killed when the run closes this, and by a shutdown hook
 * if the driver's JVM ends first (a failure, Ctrl-C), so that no worker outlives its driver.
 */
final class WorkerProcesses implements AutoCloseable {
    private final List<WorkerProcess> workers = new CopyOnWriteArrayList<>();
    private final Thread killer = new Thread(this::killAll, "worker-killer");

    WorkerProcesses() {
        Runtime.getRuntime().addShutdownHook(killer);
    }

    /** Starts a worker whose log goes to the driver's stderr (see {@link WorkerProcess#start}). */
    WorkerProcess start(String name, int index, String prefix, List<String> command) {
        return start(name, index, prefix, command, ProcessBuilder.Redirect.INHERIT);
    }

    /** Starts a worker (see {@link WorkerProcess#start}) and keeps it among these. */
    WorkerProcess start(String name, int index, String prefix, List<String> command, ProcessBuilder.Redirect stderr) {
        WorkerProcess worker = WorkerProcess.start(name, index, prefix, command, stderr);
        workers.add(worker);
        return worker;
    }

    /** The workers, in the order they were started. */
    List<WorkerProcess> all() {
        return List.copyOf(workers);
    }

    WorkerProcess get(int index) {
        return workers.get(index);
    }

    /** Waits for each worker's first answer, which must start with {@code ready }. */
    void awaitReady(Duration timeout) {
        for (WorkerProcess worker : workers) {
            String greeting = worker.next(timeout);
            if (!greeting.startsWith("ready ")) {
                throw new IllegalStateException("worker " + worker.index + " greeted with '" + greeting + "'");
            }
        }
    }

    private void killAll() {
        workers.forEach(WorkerProcess::kill);
    }

    /** Kills the workers still running. */
    @Override
    public void close() {
        killAll();
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }
}
