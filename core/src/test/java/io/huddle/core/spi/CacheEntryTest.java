package io.huddle.core.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A cache entry's freshness, read with one millisecond clock reading")
class CacheEntryTest {
    private final Instant written = Instant.parse("2026-01-01T00:00:00Z");
    // fresh until 0.4 ms into the 60 000th millisecond
    private final Instant freshUntil = written.plusMillis(60_000).plusNanos(400_000);
    private final CacheEntry<String> entry = CacheEntry.found("v", written, freshUntil, freshUntil.plusSeconds(60), 1);

    @Test
    @DisplayName("fresh throughout every millisecond before the one its freshness ends in, and not from then on")
    void throughout() {
        long lastWholeMillisecond = freshUntil.toEpochMilli() - 1;

        assertThat(entry.isFreshThroughout(written.toEpochMilli())).isTrue();
        assertThat(entry.isFreshThroughout(lastWholeMillisecond)).isTrue();
        assertThat(entry.isFreshThroughout(freshUntil.toEpochMilli()))
                .as("the millisecond it ends in: the exact instant decides")
                .isFalse();
        assertThat(entry.isFreshAt(Instant.ofEpochMilli(freshUntil.toEpochMilli())))
                .isTrue();
        assertThat(entry.isFreshAt(freshUntil)).isFalse();
    }

    @Test
    @DisplayName("an unverified copy is never fresh, whatever the clock says")
    void unverified() {
        assertThat(entry.unverified().isFreshThroughout(written.toEpochMilli())).isFalse();
    }

    @Test
    @DisplayName("instants out of the millisecond range are far past or far future")
    void outOfRange() {
        CacheEntry<String> forever = CacheEntry.found("v", written, Instant.MAX, Instant.MAX, 1);

        assertThat(forever.isFreshThroughout(Long.MAX_VALUE - 1)).isTrue();
    }

    @Test
    @DisplayName("the value's Optional is made once: a hit hands out the same one")
    void optionalMadeOnce() {
        assertThat(entry.value()).containsSame("v").isSameAs(entry.value());
        assertThat(CacheEntry.notFound(written, freshUntil, 1).value()).isEmpty();
    }
}
