package io.huddle.examples.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.huddle.examples.Backend;
import io.huddle.sim.UpstreamSimulator;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The server's command line")
class ServerOptionsTest {

    @Test
    @DisplayName("without options: port 8080, Caffeine, the simulator in this process, 60 a minute")
    void defaults() {
        ServerOptions options = ServerOptions.parse(Map.of());

        assertThat(options.port()).isEqualTo(8080);
        assertThat(options.backend()).isEqualTo(Backend.CAFFEINE);
        assertThat(options.upstream()).isEqualTo(ServerOptions.Upstream.SIM);
        assertThat(options.plan()).isEqualTo(60);
        assertThat(options.nameSearch()).isTrue();
        assertThat(options.latency()).isEqualTo(Duration.ofMillis(75));
        assertThat(options.season()).isEqualTo(UpstreamSimulator.SEASON);
        assertThat(options.help()).isFalse();
    }

    @Test
    @DisplayName("the real API takes its address and key from the environment, and the key is never shown")
    void realApi() {
        ServerOptions options = ServerOptions.parse(
                Map.of("HUDDLE_API_KEY", "s3cret-key\n", "HUDDLE_API_URL", "https://api.example.test"),
                "--upstream",
                "api",
                "--backend",
                "near",
                "--plan",
                "600");

        assertThat(options.upstream()).isEqualTo(ServerOptions.Upstream.API);
        assertThat(options.apiUrl()).hasToString("https://api.example.test");
        assertThat(options.apiKey()).isEqualTo("s3cret-key\n"); // the client strips and checks it
        assertThat(options.backend()).isEqualTo(Backend.NEAR);
        assertThat(options.plan()).isEqualTo(600);
        assertThat(options.toString()).doesNotContain("s3cret");
        assertThat(ServerOptions.parse(Map.of("HUDDLE_API_KEY", "k"), "--upstream", "api")
                        .apiUrl())
                .isEqualTo(ServerOptions.DEFAULT_API_URL);
    }

    @Test
    @DisplayName("bad values are refused with a message naming the option and what it takes")
    void refusals() {
        assertThatThrownBy(() -> ServerOptions.parse(Map.of(), "--upstream", "api"))
                .hasMessage("--upstream api needs the API key in HUDDLE_API_KEY");
        assertThatThrownBy(() -> ServerOptions.parse(Map.of(), "--upstream", "cloud"))
                .hasMessage("--upstream must be sim or api, was 'cloud'");
        assertThatThrownBy(() -> ServerOptions.parse(Map.of(), "--port", "70000"))
                .hasMessage("--port must be between 0 and 65535, was 70000");
        assertThatThrownBy(() -> ServerOptions.parse(Map.of(), "--plan", "0"))
                .hasMessageStartingWith("--plan must be between 1");
        assertThatThrownBy(() -> ServerOptions.parse(Map.of(), "--backend", "memcached"))
                .hasMessage("--backend must be caffeine, ehcache, redis or near, was 'memcached'");
        assertThatThrownBy(() -> ServerOptions.parse(
                        Map.of("HUDDLE_API_KEY", "k", "HUDDLE_API_URL", "ftp://x"), "--upstream", "api"))
                .hasMessageStartingWith("HUDDLE_API_URL must be an http or https URL");
        assertThatThrownBy(() -> ServerOptions.parse(Map.of(), "--colour", "red"))
                .hasMessage("unknown option --colour");
        assertThat(ServerOptions.parse(Map.of(), "--help").help()).isTrue();
    }
}
