package io.huddle.core.internal;

import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Daemon threads with readable names, so that a cache, a port or a bus that was never closed does not
 * keep a JVM alive, and a thread dump says whose each thread is. Thread-safe.
 */
public final class DaemonThreads implements ThreadFactory {
    private final String prefix;
    private final AtomicInteger threads = new AtomicInteger();

    private DaemonThreads(String prefix) {
        this.prefix = prefix;
    }

    /** A factory of threads named {@code prefix-1}, {@code prefix-2}, and so on. */
    public static DaemonThreads named(String prefix) {
        return new DaemonThreads(Objects.requireNonNull(prefix, "prefix"));
    }

    /** Starts one daemon thread of the given name running the task. */
    public static Thread start(String name, Runnable task) {
        Thread thread = daemon(task, name);
        thread.start();
        return thread;
    }

    @Override
    public Thread newThread(Runnable task) {
        return daemon(task, prefix + "-" + threads.incrementAndGet());
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }
}
