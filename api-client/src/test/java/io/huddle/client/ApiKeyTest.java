package io.huddle.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("The API key is checked when the client is built")
class ApiKeyTest {
    private static final URI SOMEWHERE = URI.create("http://127.0.0.1:1");

    @Test
    @DisplayName("a key read from a file with its trailing newline works: surrounding whitespace is stripped")
    void trailingNewlineIsStripped() {
        try (SimulatedStack stack =
                SimulatedStack.startWithKey(" secret-5b1f\r\n", sim -> sim.apiKey("secret-5b1f"), client -> client)) {
            assertThat(stack.client.teams()).hasSize(32);
        }
    }

    @ParameterizedTest(name = "{index}: a key with U+{1} at index {2}")
    @ValueSource(
            strings = {
                "canary-5b1f\nrest|000A|11",
                "canary-5b1f\u0000rest|0000|11",
                "canary-5b1f\trest|0009|11",
                "canary-5b1f\u007frest|007F|11",
                "canary 5b1f|0020|6",
                "canary-5b1f\u00e9|00E9|11",
                "canary-5b1f\u00a0|00A0|11",
                "canary\u2028-5b1f|2028|6"
            })
    @DisplayName(
            "a control character, space or non-ASCII character inside the key is refused, naming where, never the key")
    void badCharactersAreRefused(String row) {
        String[] parts = row.split("\\|");
        String key = parts[0];

        assertThatThrownBy(() -> BalldontlieClient.builder(SOMEWHERE, key))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("U+" + parts[1])
                .hasMessageContaining("at index " + parts[2])
                .hasMessageNotContaining("canary")
                .hasMessageNotContaining("5b1f")
                .hasNoCause();
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", " ", "\n", " \t\r\n "})
    @DisplayName("a key that is empty once stripped is refused")
    void emptyKeysAreRefused(String key) {
        assertThatThrownBy(() -> BalldontlieClient.builder(SOMEWHERE, key))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("apiKey must not be empty");
    }

    @Test
    @DisplayName("the key shows in no toString, and text quoting it is cleaned of it")
    void keyIsNeverShown() {
        ApiKey key = ApiKey.of("canary-5b1f");

        assertThat(key.toString()).doesNotContain("canary");
        assertThat(BalldontlieClient.builder(SOMEWHERE, "canary-5b1f").build().toString())
                .doesNotContain("canary")
                .contains("127.0.0.1:1");
        assertThat(key.redact("the API key canary-5b1f is not valid")).isEqualTo("the API key [api key] is not valid");
    }
}
