package io.huddle.core.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Cache policies and kinds are validated when built")
class CachePolicyTest {
    @Test
    @DisplayName("defaults: no stale windows, negative ttl the shorter of 5 minutes and the ttl, 10 s load timeout")
    void defaults() {
        CachePolicy policy = CachePolicy.ofTtl(Duration.ofHours(1));

        assertThat(policy.staleWhileRevalidate()).isZero();
        assertThat(policy.staleIfError()).isZero();
        assertThat(policy.negativeTtl()).isEqualTo(Duration.ofMinutes(5));
        assertThat(CachePolicy.ofTtl(Duration.ofMinutes(1)).negativeTtl()).isEqualTo(Duration.ofMinutes(1));
        assertThat(policy.jitter()).isZero();
        assertThat(policy.loadTimeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    @DisplayName("a bad value is rejected at once, naming the field and the value")
    void rejects() {
        assertThatThrownBy(() -> CachePolicy.ofTtl(Duration.ZERO)).hasMessage("ttl must be positive, was PT0S");
        assertThatThrownBy(() -> CachePolicy.builder(Duration.ofMinutes(1)).staleIfError(Duration.ofSeconds(-1)))
                .hasMessage("staleIfError must not be negative, was PT-1S");
        assertThatThrownBy(() -> CachePolicy.builder(Duration.ofMinutes(1)).jitter(1.0))
                .hasMessage("jitter must be in [0, 1), was 1.0");
        assertThatThrownBy(() -> CachePolicy.builder(Duration.ofMinutes(1)).jitter(Double.NaN))
                .hasMessage("jitter must be in [0, 1), was NaN");
        assertThatThrownBy(() -> CachePolicy.builder(Duration.ofMinutes(1)).loadTimeout(Duration.ZERO))
                .hasMessage("loadTimeout must be positive, was PT0S");
        assertThatThrownBy(() -> CachePolicy.builder(null)).hasMessage("ttl");
    }

    @Test
    @DisplayName("toBuilder derives a changed copy and leaves the original as it was")
    void derive() {
        CachePolicy original =
                CachePolicy.builder(Duration.ofHours(1)).jitter(0.1).build();

        CachePolicy longer = original.toBuilder().ttl(Duration.ofHours(2)).build();

        assertThat(longer.ttl()).isEqualTo(Duration.ofHours(2));
        assertThat(longer.jitter()).isEqualTo(0.1);
        assertThat(original.ttl()).isEqualTo(Duration.ofHours(1));
        assertThat(original.toBuilder().build()).isEqualTo(original);
    }

    @Test
    @DisplayName("kind names are short lower-case words, and bad ids are rejected with the reason")
    void kindsAndKeys() {
        CachePolicy policy = CachePolicy.ofTtl(Duration.ofHours(1));
        assertThatThrownBy(() -> DataKind.of("Player Stats", String.class, policy))
                .hasMessage("kind name must be 1 to 64 lower-case letters, digits or dashes, was 'Player Stats'");
        DataKind<String> kind = DataKind.of("player-id", String.class, policy);

        assertThatThrownBy(() -> new CacheKey(kind, " ")).hasMessage("id of a 'player-id' key must not be blank");
        assertThatThrownBy(() -> new CacheKey(kind, "a\u0000b"))
                .hasMessage("id of a 'player-id' key must not hold control characters");
        assertThatThrownBy(() -> new CacheKey(kind, "x".repeat(513)))
                .hasMessage("id of a 'player-id' key must be at most 512 characters, was 513");
        assertThat(new CacheKey(kind, "T.J. Watt")).hasToString("player-id:T.J. Watt");
    }
}
