package io.huddle.examples.server;

import static io.huddle.examples.server.ChatApiTest.get;
import static io.huddle.examples.server.ChatApiTest.q;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("A server restarted from its snapshot")
class ServerRestartTest {
    private static final String COMPARE = "/api/compare?a=" + q("Josh Allen") + "&b=" + q("Lamar Jackson");

    @TempDir
    Path folder;

    private HuddleServer start(Path snapshot) {
        return HuddleServer.start(
                "--port", "0", "--latency-ms", "0", "--ahead", "off", "--snapshot", snapshot.toString());
    }

    @Test
    @DisplayName("answers what the last one cached without an upstream call, and says what it restored")
    void restoresBeforeTheFirstAnswer() throws Exception {
        Path snapshot = folder.resolve("cache.snapshot");
        try (HuddleServer first = start(snapshot)) {
            assertThat(get(first, COMPARE).status()).isEqualTo(200);
            assertThat(first.simulator().orElseThrow().calls().accepted()).isPositive();
        } // closing writes the snapshot
        assertThat(snapshot).exists();

        try (HuddleServer second = start(snapshot)) {
            ChatApiTest.Answer answer = get(second, COMPARE);
            JsonNode backup = get(second, "/api/stats").body().path("snapshot");

            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.body().path("first").path("player").path("name").asText())
                    .isEqualTo("Josh Allen");
            assertThat(second.simulator().orElseThrow().calls().accepted())
                    .as("upstream calls of the restarted server")
                    .isZero();
            assertThat(backup.path("restoredAtStart").asLong()).isPositive();
            assertThat(backup.path("restoreFailure").isNull()).isTrue();
        }
    }

    @Test
    @DisplayName("starts and answers from the upstream when its snapshot is corrupt, and says why it restored nothing")
    void corruptSnapshot() throws Exception {
        Path snapshot = folder.resolve("cache.snapshot");
        Files.writeString(snapshot, "not a snapshot at all");

        try (HuddleServer server = start(snapshot)) {
            ChatApiTest.Answer answer = get(server, COMPARE);
            JsonNode backup = get(server, "/api/stats").body().path("snapshot");

            assertThat(answer.status()).isEqualTo(200);
            assertThat(server.simulator().orElseThrow().calls().accepted()).isPositive();
            assertThat(backup.path("restoredAtStart").isNull()).isTrue();
            assertThat(backup.path("restoreFailure").asText()).contains(snapshot.toString());
        }
        byte[] written = Files.readAllBytes(snapshot);
        assertThat(new byte[] {written[0], written[1]})
                .as("replaced by a good (gzip) snapshot at shutdown")
                .containsExactly(0x1f, 0x8b);
    }
}
