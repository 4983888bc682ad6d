package io.huddle.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The demo's command line")
class DemoOptionsTest {

    @Test
    @DisplayName("needs no option: Caffeine, no name search, no latency, 10, 100 and 1000 users")
    void defaults() {
        assertThat(DemoOptions.parse())
                .isEqualTo(new DemoOptions(
                        Backend.CAFFEINE,
                        false,
                        Duration.ZERO,
                        List.of(10, 100, 1000),
                        URI.create("redis://127.0.0.1:6379"),
                        false));
    }

    @Test
    @DisplayName("reads every option")
    void everyOption() {
        DemoOptions options = DemoOptions.parse(
                "--backend",
                "Redis",
                "--name-search",
                "on",
                "--latency-ms",
                "25",
                "--users",
                "1,5",
                "--redis",
                "redis://cache:6380");

        assertThat(options.backend()).isEqualTo(Backend.REDIS);
        assertThat(options.nameSearch()).isTrue();
        assertThat(options.latency()).isEqualTo(Duration.ofMillis(25));
        assertThat(options.users()).containsExactly(1, 5);
        assertThat(options.redis()).isEqualTo(URI.create("redis://cache:6380"));
        assertThat(DemoOptions.parse("--users", "3", "--help").help()).isTrue();
    }

    @Test
    @DisplayName("names the option and what it accepts when a value is wrong")
    void badValues() {
        assertThatThrownBy(() -> DemoOptions.parse("--users", "10,lots"))
                .hasMessage("--users must be a whole number, was 'lots'");
        assertThatThrownBy(() -> DemoOptions.parse("--users", "0"))
                .hasMessage("--users must be between 1 and 10000, was 0");
        assertThatThrownBy(() -> DemoOptions.parse("--latency-ms", "-1"))
                .hasMessage("--latency-ms must be between 0 and 1000, was -1");
        assertThatThrownBy(() -> DemoOptions.parse("--redis", "redis://admin:s3cret@cache:6379/x"))
                .hasMessageContaining("redis://***@cache:6379/x")
                .hasMessageNotContaining("s3cret");
        assertThat(DemoOptions.parse("--redis", "rediss://admin:s3cret@cache:6380/2")
                        .redis()
                        .getPort())
                .isEqualTo(6380);
        assertThatThrownBy(() -> DemoOptions.parse("--name-search", "maybe"))
                .hasMessage("--name-search must be on or off, was 'maybe'");
        assertThatThrownBy(() -> DemoOptions.parse("--redis", "http://x"))
                .hasMessageStartingWith("--redis must look like");
        assertThatThrownBy(() -> DemoOptions.parse("--colour", "red")).hasMessage("unknown option --colour");
        assertThatThrownBy(() -> DemoOptions.parse("--backend")).hasMessage("--backend needs a value");
    }
}
