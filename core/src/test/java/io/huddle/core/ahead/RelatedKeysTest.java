package io.huddle.core.ahead;

import static org.assertj.core.api.Assertions.assertThat;

import io.huddle.testkit.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("RelatedKeys learns what follows what, bounded, and forgets old evidence")
class RelatedKeysTest {
    private final ManualClock clock = new ManualClock();

    @Test
    @DisplayName("the key a session asks next is related to the one before, one way")
    void sessionSteps() {
        RelatedKeys<String> related = RelatedKeys.<String>builder(clock).build();
        related.asked("s1", "parsons");
        related.asked("s1", "watt");
        assertThat(related.related("parsons", 3)).containsExactly("watt");
        assertThat(related.related("watt", 3)).isEmpty();
    }

    @Test
    @DisplayName("a step after the session gap, or in another session, teaches nothing")
    void sessionGap() {
        RelatedKeys<String> related = RelatedKeys.<String>builder(clock)
                .sessionGap(Duration.ofMinutes(30))
                .build();
        related.asked("s1", "parsons");
        related.asked("s2", "watt");
        clock.advance(Duration.ofMinutes(31));
        related.asked("s1", "donald");
        assertThat(related.related("parsons", 3)).isEmpty();
    }

    @Test
    @DisplayName("pairs asked together relate both ways, and the heavier evidence ranks first")
    void pairsRanked() {
        RelatedKeys<String> related = RelatedKeys.<String>builder(clock).build();
        related.together("allen", "jackson");
        related.together("allen", "mahomes");
        related.together("allen", "mahomes");
        assertThat(related.related("allen", 3)).containsExactly("mahomes", "jackson");
        assertThat(related.related("jackson", 3)).containsExactly("allen");
    }

    @Test
    @DisplayName("the seed answers before anything is learnt, and learnt evidence outranks it")
    void seedThenLearnt() {
        RelatedKeys<String> related = RelatedKeys.<String>builder(clock)
                .seed(Map.of("parsons", List.of("watt", "donald", "garrett")))
                .seedWeight(1)
                .build();
        assertThat(related.related("parsons", 3)).containsExactly("watt", "donald", "garrett");
        related.together("parsons", "garrett");
        assertThat(related.related("parsons", 1)).containsExactly("garrett");
    }

    @Test
    @DisplayName("evidence fades with its half-life until it is forgotten")
    void fades() {
        RelatedKeys<String> related = RelatedKeys.<String>builder(clock)
                .halfLife(Duration.ofMinutes(10))
                .build();
        related.together("a", "b");
        clock.advance(Duration.ofMinutes(40));
        assertThat(related.related("a", 3))
                .as("1/16 of its weight is still above 0.05")
                .containsExactly("b");
        clock.advance(Duration.ofMinutes(10));
        assertThat(related.related("a", 3)).isEmpty();
        assertThat(related.related("b", 3)).isEmpty();
        assertThat(related.size()).as("forgotten keys are dropped").isZero();
    }

    @Test
    @DisplayName("keys, neighbours and sessions stay within their bounds under many distinct keys")
    void bounded() {
        RelatedKeys<Integer> related = RelatedKeys.<Integer>builder(clock)
                .maxKeys(100)
                .maxNeighbours(4)
                .maxSessions(50)
                .build();
        for (int i = 0; i < 100_000; i++) {
            related.asked("s" + (i % 1000), i);
            related.together(i % 7, i);
        }
        assertThat(related.size()).isLessThanOrEqualTo(100);
        assertThat(related.sessions()).isLessThanOrEqualTo(50);
        assertThat(related.related(3, 10)).hasSizeLessThanOrEqualTo(4);
    }
}
