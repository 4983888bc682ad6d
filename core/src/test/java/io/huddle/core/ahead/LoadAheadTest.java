package io.huddle.core.ahead;

import static org.assertj.core.api.Assertions.assertThat;

import io.huddle.core.api.AheadResult;
import io.huddle.core.spi.UpstreamBudget.Priority;
import io.huddle.testkit.ManualClock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("LoadAhead warms popular and most requested keys and prefetches related ones, at background priority")
class LoadAheadTest {
    private final ManualClock clock = new ManualClock();
    private final List<String> warmed = new CopyOnWriteArrayList<>();
    private final List<String> prefetched = new CopyOnWriteArrayList<>();
    private final List<Priority> priorities = new CopyOnWriteArrayList<>();
    private final AheadTarget<String> target = new AheadTarget<>() {
        @Override
        public AheadResult warm(String key, double refreshAhead) {
            priorities.add(Priority.current());
            warmed.add(key);
            return AheadResult.STARTED;
        }

        @Override
        public AheadResult prefetch(String key) {
            priorities.add(Priority.current());
            prefetched.add(key);
            return AheadResult.STARTED;
        }
    };

    @Test
    @DisplayName("a pass warms the popular keys, then the most requested, at background priority")
    void warmPass() {
        try (LoadAhead<String> ahead = LoadAhead.builder(target)
                .clock(clock)
                .popular(List.of("mahomes", "allen"))
                .topCount(1)
                .executor(Runnable::run)
                .build()) {
            ahead.requested("jefferson");
            ahead.requested("jefferson");
            ahead.requested("kelce");
            Map<AheadResult, Integer> results = ahead.runOnce();
            assertThat(warmed).containsExactly("mahomes", "allen", "jefferson");
            assertThat(results).containsEntry(AheadResult.STARTED, 3);
            assertThat(priorities).containsOnly(Priority.BACKGROUND);
        }
    }

    @Test
    @DisplayName("a key asked for prefetches its related keys, not itself, at background priority")
    void prefetchRelated() {
        RelatedKeys<String> related = RelatedKeys.<String>builder(clock)
                .seed(Map.of("parsons", List.of("watt", "donald", "garrett", "bosa")))
                .build();
        try (LoadAhead<String> ahead = LoadAhead.builder(target)
                .related(related)
                .prefetchPerRequest(3)
                .executor(Runnable::run)
                .build()) {
            ahead.requested("parsons", "session-1");
            assertThat(prefetched).containsExactly("watt", "donald", "garrett");
            assertThat(priorities).containsOnly(Priority.BACKGROUND);
            assertThat(ahead.counts().prefetchRounds()).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("a compared pair teaches the relation: asking for one later prefetches the other")
    void pairLearnt() {
        try (LoadAhead<String> ahead =
                LoadAhead.builder(target).clock(clock).executor(Runnable::run).build()) {
            ahead.requestedTogether("allen", "jackson", null);
            assertThat(prefetched).isEmpty();
            ahead.requested("allen");
            assertThat(prefetched).containsExactly("jackson");
        }
    }

    @Test
    @DisplayName(
            "the application's neighbours are prefetched after the learnt keys, the most requested first, at background priority")
    void neighboursByRequests() {
        List<Priority> asked = new CopyOnWriteArrayList<>();
        RelatedKeys<String> related = RelatedKeys.<String>builder(clock)
                .seed(Map.of("allen", List.of("diggs")))
                .build();
        try (LoadAhead<String> ahead = LoadAhead.builder(target)
                .clock(clock)
                .related(related)
                .neighbours(key -> {
                    asked.add(Priority.current());
                    return key.equals("allen") ? List.of("trubisky", "allen", "shapiro", "diggs") : List.of();
                })
                .executor(Runnable::run)
                .build()) {
            ahead.requested("shapiro");
            prefetched.clear();
            ahead.requested("allen");
            assertThat(prefetched).containsExactly("diggs", "shapiro", "trubisky");
            assertThat(asked).containsOnly(Priority.BACKGROUND);
            assertThat(priorities).containsOnly(Priority.BACKGROUND);
        }
    }

    @Test
    @DisplayName("a neighbours relation that throws is counted and the round still prefetches the learnt keys")
    void failingNeighbours() {
        RelatedKeys<String> related = RelatedKeys.<String>builder(clock)
                .seed(Map.of("allen", List.of("diggs")))
                .build();
        try (LoadAhead<String> ahead = LoadAhead.builder(target)
                .clock(clock)
                .related(related)
                .neighbours(key -> {
                    throw new IllegalStateException("no roster");
                })
                .executor(Runnable::run)
                .build()) {
            ahead.requested("allen");
            assertThat(prefetched).containsExactly("diggs");
            assertThat(ahead.counts().targetFailures()).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("a round the prefetch executor rejects is skipped and counted, the user's thread unharmed")
    void fullExecutor() {
        RelatedKeys<String> related = RelatedKeys.<String>builder(clock)
                .seed(Map.of("a", List.of("b")))
                .build();
        try (LoadAhead<String> ahead = LoadAhead.builder(target)
                .related(related)
                .executor(task -> {
                    throw new RejectedExecutionException("full");
                })
                .build()) {
            ahead.requested("a");
            assertThat(prefetched).isEmpty();
            assertThat(ahead.counts().prefetchRoundsSkipped()).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("a target that throws is counted and the pass goes on")
    void failingTarget() {
        AheadTarget<String> flaky = new AheadTarget<>() {
            @Override
            public AheadResult warm(String key, double refreshAhead) {
                if (key.equals("bad")) {
                    throw new IllegalStateException("no such player");
                }
                warmed.add(key);
                return AheadResult.FRESH;
            }

            @Override
            public AheadResult prefetch(String key) {
                return AheadResult.FRESH;
            }
        };
        try (LoadAhead<String> ahead =
                LoadAhead.builder(flaky).popular(List.of("bad", "good")).build()) {
            assertThat(ahead.runOnce()).containsEntry(AheadResult.FRESH, 1);
            assertThat(warmed).containsExactly("good");
            assertThat(ahead.counts().targetFailures()).isEqualTo(1);
        }
    }
}
