package io.huddle.examples.server;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.util.Collection;
import java.util.concurrent.TimeUnit;

/**
 * Load-time percentiles for the dashboard, read from the successful loads' timers that {@code
 * MicrometerStatsCounter} keeps per kind ({@code huddle.cache.load.duration}, over Micrometer's
 * recent window).
 */
final class LoadTimers {
    static final String TIMER = "huddle.cache.load.duration";

    private final MeterRegistry registry;
    private final String cache;

    LoadTimers(MeterRegistry registry, String cache) {
        this.registry = registry;
        this.cache = cache;
    }

    /** The kind's successful loads. */
    OperatorView.LoadTimes of(String kind) {
        return slowest(registry.find(TIMER)
                .tags("cache", cache, "kind", kind, "result", "success")
                .timers());
    }

    /** Each percentile of the slowest kind: percentiles of different kinds cannot be merged. */
    OperatorView.LoadTimes slowestKind() {
        return slowest(
                registry.find(TIMER).tags("cache", cache, "result", "success").timers());
    }

    private static OperatorView.LoadTimes slowest(Collection<Timer> timers) {
        Double p50 = null;
        Double p95 = null;
        Double p99 = null;
        for (Timer timer : timers) {
            if (timer.count() == 0) {
                continue;
            }
            for (ValueAtPercentile percentile : timer.takeSnapshot().percentileValues()) {
                double millis = percentile.value(TimeUnit.MILLISECONDS);
                if (Double.isNaN(millis)) {
                    continue;
                }
                if (percentile.percentile() == 0.5) {
                    p50 = max(p50, millis);
                } else if (percentile.percentile() == 0.95) {
                    p95 = max(p95, millis);
                } else if (percentile.percentile() == 0.99) {
                    p99 = max(p99, millis);
                }
            }
        }
        return new OperatorView.LoadTimes(p50, p95, p99);
    }

    private static Double max(Double so, double far) {
        return so == null ? far : Math.max(so, far);
    }
}
