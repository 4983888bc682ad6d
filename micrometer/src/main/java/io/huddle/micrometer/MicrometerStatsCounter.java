package io.huddle.micrometer;

import io.huddle.core.api.CacheStatistics;
import io.huddle.core.api.ConcurrentStatsCounter;
import io.huddle.core.api.DataKind;
import io.huddle.core.api.StatsCounter;
import io.huddle.core.internal.Arguments;
import io.huddle.core.internal.QuietLog;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.LoggerFactory;

/**
 * A kind's {@link StatsCounter} that also times every loader call into a Micrometer {@link Timer},
 * {@code huddle.cache.load.duration} tagged {@code cache}, {@code kind} and {@code result=success}
 * or {@code failure}, with the 50th, 95th and 99th percentiles published (over Micrometer's decaying
 * window, two minutes by default). Everything is counted by a {@link ConcurrentStatsCounter} as
 * well, so the engine's snapshots, and the {@link SharedCacheMetrics} meters read from them, stay
 * whole; the timer is the only meter made here, so the two never register a meter twice.
 *
 * <p>Plug it in with {@link #perKind}, which the engine calls once per kind, on the kind's first
 * request:
 *
 * <pre>{@code
 * SharedCache cache = SharedCache.builder(port)
 *         .statsCounterPerKind(MicrometerStatsCounter.perKind(registry, "sports"))
 *         .build();
 * }</pre>
 *
 * <p>The hit path costs what the default counter's does: only loads, which end in a timer's record,
 * do more. Thread-safe.
 */
public final class MicrometerStatsCounter implements StatsCounter {
    private static final QuietLog LOG = new QuietLog(LoggerFactory.getLogger(MicrometerStatsCounter.class));

    private final ConcurrentStatsCounter counts = new ConcurrentStatsCounter();
    private final Timer loadSuccesses;
    private final Timer loadFailures;

    /**
     * A counter for {@code kind} of the cache named {@code cacheName}, registering its two timers in
     * {@code registry} (or finding them there, if a counter of the same cache and kind made them).
     * The tags are added to the timers' own; {@code cache}, {@code kind} and {@code result} win over
     * tags of the same key.
     *
     * @throws IllegalArgumentException if the cache name is blank
     */
    public MicrometerStatsCounter(MeterRegistry registry, String cacheName, DataKind<?> kind, Iterable<Tag> tags) {
        Objects.requireNonNull(registry, "registry");
        Arguments.notBlank("cacheName", cacheName);
        Objects.requireNonNull(kind, "kind");
        Tags timerTags = Tags.of(Objects.requireNonNull(tags, "tags")).and("cache", cacheName, "kind", kind.name());
        this.loadSuccesses = timer(registry, timerTags, "success");
        this.loadFailures = timer(registry, timerTags, "failure");
    }

    private static Timer timer(MeterRegistry registry, Tags tags, String result) {
        return Timer.builder("huddle.cache.load.duration")
                .description("The time loader calls took until they returned (success) or threw or returned"
                        + " nothing (failure)")
                .tags(tags)
                .tag("result", result)
                .publishPercentiles(0.5, 0.95, 0.99)
                .register(registry);
    }

    /**
     * What to give {@code SharedCache.Builder.statsCounterPerKind}: a new counter per kind, timing
     * its loads in {@code registry}. Should the registry refuse the timers, the kind is counted
     * without them (the failure is logged): metrics never fail a request.
     *
     * @throws IllegalArgumentException if the cache name is blank
     */
    public static Function<DataKind<?>, StatsCounter> perKind(
            MeterRegistry registry, String cacheName, Iterable<Tag> tags) {
        Objects.requireNonNull(registry, "registry");
        Arguments.notBlank("cacheName", cacheName);
        Tags copied = Tags.of(Objects.requireNonNull(tags, "tags"));
        return kind -> {
            try {
                return new MicrometerStatsCounter(registry, cacheName, kind, copied);
            } catch (RuntimeException e) {
                LOG.warn(
                        "Could not register the load timers of kind '{}' of cache '{}'; it is counted without them",
                        kind,
                        cacheName,
                        e);
                return new ConcurrentStatsCounter();
            }
        };
    }

    /** {@link #perKind(MeterRegistry, String, Iterable)} with no tags of the application's. */
    public static Function<DataKind<?>, StatsCounter> perKind(MeterRegistry registry, String cacheName) {
        return perKind(registry, cacheName, Tags.empty());
    }

    @Override
    public void recordRequests(int count) {
        counts.recordRequests(count);
    }

    @Override
    public void recordHit(int cost) {
        counts.recordHit(cost);
    }

    @Override
    public void recordNegativeHit(int cost) {
        counts.recordNegativeHit(cost);
    }

    @Override
    public void recordStale(int cost) {
        counts.recordStale(cost);
    }

    @Override
    public void recordCoalescedWait(int cost) {
        counts.recordCoalescedWait(cost);
    }

    @Override
    public void recordMiss() {
        counts.recordMiss();
    }

    @Override
    public void recordLoadStarted() {
        counts.recordLoadStarted();
    }

    @Override
    public void recordLoadSuccess(long loadNanos, long upstreamCalls) {
        counts.recordLoadSuccess(loadNanos, upstreamCalls);
        loadSuccesses.record(loadNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void recordLoadFailure(long loadNanos) {
        counts.recordLoadFailure(loadNanos);
        loadFailures.record(loadNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void recordBackendError() {
        counts.recordBackendError();
    }

    @Override
    public void recordFailSafeThrottled() {
        counts.recordFailSafeThrottled();
    }

    @Override
    public void recordRefreshesSkipped(int count) {
        counts.recordRefreshesSkipped(count);
    }

    @Override
    public void recordLoadAbandoned() {
        counts.recordLoadAbandoned();
    }

    @Override
    public void recordWarmLoad() {
        counts.recordWarmLoad();
    }

    @Override
    public void recordPrefetchStarted() {
        counts.recordPrefetchStarted();
    }

    @Override
    public void recordPrefetchUsed() {
        counts.recordPrefetchUsed();
    }

    @Override
    public void recordPrefetchUnused() {
        counts.recordPrefetchUnused();
    }

    @Override
    public void recordAheadSkippedFull() {
        counts.recordAheadSkippedFull();
    }

    @Override
    public void recordAheadSwitchedOff() {
        counts.recordAheadSwitchedOff();
    }

    @Override
    public void recordSkippedForBudget() {
        counts.recordSkippedForBudget();
    }

    @Override
    public CacheStatistics snapshot() {
        return counts.snapshot();
    }
}
