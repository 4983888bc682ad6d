package io.huddle.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.huddle.core.api.CacheKey;
import io.huddle.core.api.CacheLoadException;
import io.huddle.core.api.CachePolicy;
import io.huddle.core.api.CacheStatistics;
import io.huddle.core.api.DataKind;
import io.huddle.core.api.Loaded;
import io.huddle.core.api.Loader;
import io.huddle.core.memory.InMemoryCachePort;
import io.huddle.testkit.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The engine's edges: bad loaders, mixed-up kinds, closing")
class EngineLifecycleTest {
    private final ManualClock clock = new ManualClock();
    private final SharedCache cache =
            SharedCache.builder(new InMemoryCachePort(clock)).clock(clock).build();
    private final DataKind<String> kind = EngineFixtures.kind(CachePolicy.ofTtl(Duration.ofMinutes(1)));

    @Test
    @DisplayName("a loader that returns null gets a typed error telling what to return instead")
    void nullLoader() {
        assertThatThrownBy(() -> cache.get(kind, "k", id -> null))
                .isInstanceOf(CacheLoadException.class)
                .hasMessageContaining("return Loaded.notFound() for absent items");
    }

    @Test
    @DisplayName("a loader that returns the wrong type gets a typed error, and nothing is cached")
    @SuppressWarnings({"unchecked", "rawtypes"})
    void wrongType() {
        Loader raw = id -> Loaded.of(42);

        assertThatThrownBy(() -> cache.get(kind, "k", (Loader<String>) raw))
                .isInstanceOf(CacheLoadException.class)
                .hasMessageContaining("returned a java.lang.Integer, not a java.lang.String");
        assertThat(cache.stats(kind).entries()).isZero();
    }

    @Test
    @DisplayName("one kind name cannot be used with two value types")
    void kindClash() {
        cache.get(kind, "k", id -> Loaded.of("v"));
        DataKind<Integer> clash = DataKind.of("words", Integer.class, CachePolicy.ofTtl(Duration.ofMinutes(1)));

        assertThatThrownBy(() -> cache.get(clash, "k", id -> Loaded.of(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kind 'words' is already in use with values of java.lang.String");
    }

    @Test
    @DisplayName("an application override replaces the kind's default policy")
    void override() {
        CachePolicy longer = CachePolicy.ofTtl(Duration.ofHours(2));
        try (SharedCache custom = SharedCache.builder(new InMemoryCachePort(clock))
                .clock(clock)
                .policy(kind, longer)
                .build()) {
            custom.get(kind, "k", id -> Loaded.of("v"));
            clock.advance(Duration.ofMinutes(90));

            assertThat(custom.policy(kind)).isEqualTo(longer);
            assertThat(custom.get(kind, "k", id -> Loaded.of("reloaded"))).contains("v");
        }
    }

    @Test
    @DisplayName("an id no key accepts is refused by get before any load, and is no backend failure")
    void badIds() {
        for (String bad : new String[] {" ", "a\tb", "x".repeat(CacheKey.MAX_ID_LENGTH + 1)}) {
            assertThatThrownBy(() -> cache.get(kind, bad, id -> Loaded.of("v")))
                    .as("id '%s'", bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> cache.get(kind, null, id -> Loaded.of("v")))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("id");

        CacheStatistics stats = cache.stats(kind);
        assertThat(stats.loads()).isZero();
        assertThat(stats.backendErrors()).isZero();
        assertThat(stats.requests()).isZero();
    }

    @Test
    @DisplayName("after close, calls fail with a clear error and closing again is harmless")
    void closed() {
        cache.close();
        cache.close();

        assertThatThrownBy(() -> cache.get(kind, "k", id -> Loaded.of("v")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("this SharedCache is closed");
    }
}
