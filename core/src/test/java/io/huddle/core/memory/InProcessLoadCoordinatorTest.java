package io.huddle.core.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.huddle.core.EngineFixtures;
import io.huddle.core.api.CacheKey;
import io.huddle.core.api.CachePolicy;
import io.huddle.core.api.DataKind;
import io.huddle.core.spi.LoadCoordinator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The in-process load coordinator")
class InProcessLoadCoordinatorTest {
    private static final DataKind<String> KIND = EngineFixtures.kind(CachePolicy.ofTtl(Duration.ofMinutes(1)));

    @Test
    @DisplayName("claims a set of keys as one step: a caller claiming some of them meanwhile leads all or none")
    void claimAllIsOneStep() throws Exception {
        InProcessLoadCoordinator coordinator = new InProcessLoadCoordinator();
        List<CacheKey> many = IntStream.range(0, 300_000)
                .mapToObj(i -> new CacheKey(KIND, "id-" + i))
                .toList();
        CacheKey first = many.get(0);
        CacheKey last = many.get(many.size() - 1);

        CompletableFuture<Map<CacheKey, LoadCoordinator.Claim>> big =
                CompletableFuture.supplyAsync(() -> coordinator.claimAll(many));
        while (coordinator.loadsInFlight() == 0) {
            Thread.onSpinWait(); // until the big claim has begun: it now holds the first key
        }
        Map<CacheKey, LoadCoordinator.Claim> small = coordinator.claimAll(List.of(first, last));

        assertThat(big.get().values()).allMatch(LoadCoordinator.Claim::isLeader);
        assertThat(small.get(first).isLeader()).isFalse();
        assertThat(small.get(last).isLeader())
                .as("the last key was claimed by the big claim before the small one could see it")
                .isFalse();
    }
}
