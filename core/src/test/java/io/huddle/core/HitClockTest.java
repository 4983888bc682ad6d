package io.huddle.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.huddle.core.spi.CacheEntry;
import io.huddle.testkit.ManualClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The hit clock: exact on an injected clock, a published time with a grace on the system clock")
class HitClockTest {
    private static final long START = 1_700_000_000_000L;

    @Test
    @DisplayName("on an injected clock, every reading is the clock's own millisecond")
    void exactOnInjectedClock() {
        ManualClock clock = new ManualClock();
        try (HitClock hits = HitClock.of(clock)) {
            assertThat(hits.publishes()).isFalse();
            assertThat(hits.millisNotBeforeNow()).isEqualTo(clock.millis());

            clock.advance(Duration.ofMillis(1));
            assertThat(hits.millisNotBeforeNow()).isEqualTo(clock.millis());
        }
    }

    @Test
    @DisplayName("the system clock, in any zone, is read through a published time")
    void publishesOnSystemClock() {
        for (InstantSource system :
                new InstantSource[] {InstantSource.system(), Clock.systemUTC(), Clock.system(ZoneId.of("Europe/Paris"))
                }) {
            try (HitClock hits = HitClock.of(system)) {
                assertThat(hits.publishes()).as("%s", system).isTrue();
            }
        }
    }

    @Test
    @DisplayName("a publishing clock reads the last published millisecond plus the grace, until the next tick")
    void publishedPlusGrace() {
        AtomicLong source = new AtomicLong(START);
        HitClock hits = HitClock.publishing(source::get);

        assertThat(hits.millisNotBeforeNow()).isEqualTo(START + HitClock.GRACE_MILLIS);

        // the source moves on, the published time does not until a tick
        source.addAndGet(HitClock.GRACE_MILLIS - 1);
        assertThat(hits.millisNotBeforeNow()).isEqualTo(START + HitClock.GRACE_MILLIS);

        hits.tick();
        assertThat(hits.millisNotBeforeNow()).isEqualTo(source.get() + HitClock.GRACE_MILLIS);
    }

    @Test
    @DisplayName("an entry is fresh throughout the reading only while the published time lags by less than the grace")
    void freshnessWithinGrace() {
        AtomicLong source = new AtomicLong(START);
        HitClock hits = HitClock.publishing(source::get);
        Instant written = Instant.ofEpochMilli(START);
        Instant freshUntil = written.plusMillis(HitClock.GRACE_MILLIS * 3);
        CacheEntry<String> entry = CacheEntry.found("v", written, freshUntil, freshUntil, 1);

        // far from its fresh-until: a hit answers without the clock
        assertThat(entry.isFreshThroughout(hits.millisNotBeforeNow())).isTrue();

        // within the grace of its fresh-until: the hit path declines, the exact path decides
        source.set(freshUntil.toEpochMilli() - HitClock.GRACE_MILLIS);
        hits.tick();
        assertThat(entry.isFreshThroughout(hits.millisNotBeforeNow())).isFalse();
        assertThat(entry.isFreshAt(Instant.ofEpochMilli(source.get()))).isTrue();

        // one millisecond earlier still answers on the hit path
        source.decrementAndGet();
        hits.tick();
        assertThat(entry.isFreshThroughout(hits.millisNotBeforeNow())).isTrue();
    }
}
