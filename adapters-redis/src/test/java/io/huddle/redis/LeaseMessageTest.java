package io.huddle.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.huddle.core.spi.PermitRefusedException;
import io.huddle.core.spi.UpstreamBudget;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Lease channel messages: done with and without the entry")
class LeaseMessageTest {
    private static final String LEASE = "{p:1:players:17}:lease";

    @Test
    @DisplayName("a done message with the entry gives back its writtenAtMillis and the entry's bytes")
    void doneWithEntry() {
        byte[] entry = "{\"v\":1,\n\"value\":\"é\"}".getBytes(StandardCharsets.UTF_8);

        LeaseProtocol.Message message =
                LeaseProtocol.read(LeaseProtocol.done(LEASE, 1234, entry)).orElseThrow();

        assertThat(message.event()).isEqualTo(LeaseProtocol.DONE);
        assertThat(message.subject()).isEqualTo(LEASE);
        assertThat(message.writtenAtMillis()).isEqualTo(1234);
        assertThat(message.entry())
                .hasValueSatisfying(bytes -> assertThat(bytes).isEqualTo(entry));
    }

    @Test
    @DisplayName("a done message without the entry has its writtenAtMillis and no entry")
    void doneWithoutEntry() {
        LeaseProtocol.Message message =
                LeaseProtocol.read(LeaseProtocol.done(LEASE, 1234)).orElseThrow();

        assertThat(message.writtenAtMillis()).isEqualTo(1234);
        assertThat(message.entry()).isEmpty();
    }

    @Test
    @DisplayName("an entry line that is not Base64 reads as no entry; the writtenAtMillis is still read")
    void unreadableEntry() {
        LeaseProtocol.Message message =
                LeaseProtocol.read(LeaseProtocol.done(LEASE, 1234) + "\n%%%").orElseThrow();

        assertThat(message.writtenAtMillis()).isEqualTo(1234);
        assertThat(message.entry()).isEqualTo(Optional.empty());
    }

    @Test
    @DisplayName("a failed message's reason may span lines; it carries no entry")
    void failedKeepsItsReason() {
        LeaseProtocol.Message message = LeaseProtocol.read(
                        LeaseProtocol.failed(LEASE, new IllegalStateException("line one\nline two")))
                .orElseThrow();

        assertThat(message.event()).isEqualTo(LeaseProtocol.FAILED);
        assertThat(message.detail()).contains("java.lang.IllegalStateException: line one\nline two");
    }

    @Test
    @DisplayName(
            "a load the budget refused is announced as refused, with its priority; an unknown priority reads as background")
    void refusedNamesItsPriority() {
        LeaseProtocol.Message message = LeaseProtocol.read(LeaseProtocol.failed(
                        LEASE,
                        new IllegalStateException(
                                "no permit", new PermitRefusedException(UpstreamBudget.Priority.BACKGROUND))))
                .orElseThrow();

        assertThat(message.event()).isEqualTo(LeaseProtocol.REFUSED);
        assertThat(LeaseProtocol.refusal(message.detail()).priority()).isEqualTo(UpstreamBudget.Priority.BACKGROUND);
        assertThat(LeaseProtocol.refusal(Optional.of("USER")).priority()).isEqualTo(UpstreamBudget.Priority.USER);
        assertThat(LeaseProtocol.refusal(Optional.of("garbage\n")).priority())
                .isEqualTo(UpstreamBudget.Priority.BACKGROUND);
        assertThat(LeaseProtocol.refusal(Optional.empty()).priority()).isEqualTo(UpstreamBudget.Priority.BACKGROUND);
    }
}
