package io.huddle.core;

import io.huddle.core.internal.DaemonThreads;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The engine's executors: the given ones, or daemon pools of its own (shut down with it) for loads,
 * background refreshes and load deadlines. Thread-safe once built.
 */
final class EngineThreads {
    /** Numbers the engines of a process, so that thread names tell whose each thread is. */
    private static final AtomicInteger ENGINES = new AtomicInteger();

    final Executor loads;
    final Executor background;
    final ScheduledExecutorService deadlines;
    private final List<ExecutorService> owned = new ArrayList<>();

    EngineThreads(
            Executor loadExecutor,
            Executor backgroundExecutor,
            int loaderThreads,
            int backgroundThreads,
            int backgroundQueue) {
        int engine = ENGINES.incrementAndGet();
        this.loads = loadExecutor != null ? loadExecutor : owned(loaderPool(loaderThreads, engine));
        if (backgroundExecutor != null) {
            this.background = backgroundExecutor;
        } else if (loadExecutor != null) {
            this.background = loadExecutor;
        } else {
            ThreadPoolExecutor pool = new ThreadPoolExecutor(
                    backgroundThreads,
                    backgroundThreads,
                    1,
                    TimeUnit.MINUTES,
                    new ArrayBlockingQueue<>(backgroundQueue),
                    DaemonThreads.named("huddle-refresh-" + engine));
            pool.allowCoreThreadTimeOut(true);
            this.background = owned(pool);
        }
        ScheduledThreadPoolExecutor timer =
                new ScheduledThreadPoolExecutor(1, DaemonThreads.named("huddle-deadline-" + engine));
        timer.setRemoveOnCancelPolicy(true);
        timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.deadlines = owned(timer);
    }

    /**
     * Up to {@code threads} loads run at once and as many more wait for a thread; only past that is a
     * load rejected. Not a hand-off queue: with one, a load submitted while a thread was between two
     * tasks was rejected though the thread was about to be free.
     */
    private static ThreadPoolExecutor loaderPool(int threads, int engine) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(
                threads,
                threads,
                1,
                TimeUnit.MINUTES,
                new ArrayBlockingQueue<>(threads),
                DaemonThreads.named("huddle-loader-" + engine));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    private <E extends ExecutorService> E owned(E executor) {
        owned.add(executor);
        return executor;
    }

    /** Shuts down the pools this engine made; the given executors are their owners' to stop. */
    void shutdown() {
        owned.forEach(ExecutorService::shutdown);
    }
}
