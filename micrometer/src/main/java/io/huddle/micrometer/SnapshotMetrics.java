package io.huddle.micrometer;

import io.huddle.core.snapshot.SnapshotSchedule;
import io.huddle.core.snapshot.SnapshotWritten;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The snapshots a {@link SnapshotSchedule} writes: the last one's age and entries, and how many
 * writes succeeded and failed. Before the first snapshot the age and entries read NaN. Reading
 * never throws: the schedule's figures are plain fields.
 */
public final class SnapshotMetrics implements MeterBinder {
    private final SnapshotSchedule schedule;
    private final InstantSource clock;
    private final Tags tags;

    /**
     * @param schedule the schedule whose snapshots to show
     * @param clock the clock the age is measured on (the engine's)
     * @param tags added to every meter
     */
    public SnapshotMetrics(SnapshotSchedule schedule, InstantSource clock, Iterable<Tag> tags) {
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
    }

    /** On the system clock, without tags of its own. */
    public SnapshotMetrics(SnapshotSchedule schedule) {
        this(schedule, InstantSource.system(), List.of());
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        TimeGauge.builder("huddle.snapshot.age", schedule, TimeUnit.MILLISECONDS, this::ageMillis)
                .description("Time since the last snapshot of the cache was written")
                .tags(tags)
                .register(registry);
        Gauge.builder("huddle.snapshot.entries", schedule, SnapshotMetrics::entries)
                .description("Entries in the last snapshot written")
                .tags(tags)
                .register(registry);
        FunctionCounter.builder("huddle.snapshot.writes", schedule, SnapshotSchedule::writes)
                .description("Snapshots written")
                .tags(tags)
                .register(registry);
        FunctionCounter.builder("huddle.snapshot.failures", schedule, SnapshotSchedule::failures)
                .description("Snapshot writes that failed")
                .tags(tags)
                .register(registry);
    }

    private double ageMillis(SnapshotSchedule of) {
        return of.lastWritten()
                .map(written -> (double) written.ageAt(clock.instant()).toMillis())
                .orElse(Double.NaN);
    }

    private static double entries(SnapshotSchedule of) {
        return of.lastWritten()
                .map(SnapshotWritten::entries)
                .map(Long::doubleValue)
                .orElse(Double.NaN);
    }

    @Override
    public String toString() {
        return "SnapshotMetrics{" + schedule.file() + '}';
    }
}
