package io.huddle.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.huddle.core.api.BulkLoaded;
import io.huddle.core.api.Loaded;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Loader calls as the engine runs them")
class LoadCallTest {
    @Test
    @DisplayName("a bulk load's cost is shared as evenly as whole numbers allow, and adds up to it")
    void bulkCostShared() throws Exception {
        LoadCall<String> call = LoadCall.bulk(ids -> BulkLoaded.of(Map.of("a", "A", "c", "C"), 5));

        Map<String, Loaded<String>> loaded = call.load(new LinkedHashSet<>(List.of("a", "b", "c")));

        assertThat(loaded.get("a").cost()).isEqualTo(2);
        assertThat(loaded.get("b").cost()).isEqualTo(2);
        assertThat(loaded.get("c").cost()).isEqualTo(1);
        assertThat(loaded.get("a").rawValue()).isEqualTo("A");
        assertThat(loaded.get("b").rawValue())
                .as("absent from the bulk result: not found")
                .isNull();
        assertThat(loaded.values().stream().mapToInt(Loaded::cost).sum()).isEqualTo(5);
    }

    @Test
    @DisplayName("a loader that returns null is refused with a message that says what to return")
    void nullRefused() {
        assertThatThrownBy(() -> LoadCall.<String>single(id -> null).load(new LinkedHashSet<>(List.of("a"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Loaded.notFound()");
        assertThatThrownBy(() -> LoadCall.<String>bulk(ids -> null).load(new LinkedHashSet<>(List.of("a"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("empty BulkLoaded");
    }

    @Test
    @DisplayName("a single loader's result is keyed by its one id")
    void single() throws Exception {
        Map<String, Loaded<String>> loaded =
                LoadCall.<String>single(id -> Loaded.of(id.toUpperCase(), 3)).load(new LinkedHashSet<>(List.of("x")));

        assertThat(loaded).containsOnlyKeys("x");
        assertThat(loaded.get("x").rawValue()).isEqualTo("X");
        assertThat(loaded.get("x").cost()).isEqualTo(3);
    }
}
