package io.huddle.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.huddle.core.api.CacheKey;
import io.huddle.core.api.CachePolicy;
import io.huddle.core.api.DataKind;
import io.huddle.core.spi.CacheEntry;
import io.huddle.core.spi.CoordinatorStatistics;
import io.huddle.core.spi.Fence;
import io.huddle.core.spi.LoadCoordinator;
import io.huddle.core.spi.LoadCoordinator.Claim;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link LoadCoordinator} must have, as its javadoc states it: of the callers
 * that claim a key while a load of it is under way exactly one leads and the others follow; the
 * leader's completion or failure reaches every follower and ends the load; {@code claimAll} claims a
 * set of keys as one step; a coordinator that hands out leases gives each leader a fence of its own.
 * A coordinator's test extends this class and says how to make one:
 *
 * <pre>{@code
 * class InProcessLoadCoordinatorContractTest extends LoadCoordinatorContractKit {
 *     protected LoadCoordinator createCoordinator() {
 *         return new InProcessLoadCoordinator();
 *     }
 * }
 * }</pre>
 *
 * <p>A distributed coordinator also overrides {@link #createPeer()} (another server's coordinator on
 * the same store), {@link #store} (a leader stores its value before it completes, where another
 * server's followers read it) and {@link #handsOutFences()}. Every wait on an outcome is bounded by
 * {@link #WAIT}; nothing sleeps.
 */
public abstract class LoadCoordinatorContractKit {
    /** The longest the kit waits for an outcome that must come. */
    protected static final Duration WAIT = Duration.ofSeconds(10);

    /** The kind of the kit's keys. */
    protected static final DataKind<String> WORDS =
            DataKind.of("kit-claims", String.class, CachePolicy.ofTtl(Duration.ofMinutes(5)));

    protected final ManualClock clock = new ManualClock();
    protected LoadCoordinator coordinator;
    private final List<LoadCoordinator> made = new ArrayList<>();

    /** A new coordinator on a store of its own (or in-process): nothing is being loaded yet. */
    protected abstract LoadCoordinator createCoordinator();

    /**
     * The coordinator of another server on the same store as the latest {@link #createCoordinator()}:
     * the rule of one leader holds across both. Empty (the default) for a coordinator of one process,
     * whose peer tests are skipped.
     */
    protected Optional<LoadCoordinator> createPeer() {
        return Optional.empty();
    }

    /**
     * Stores the entry as the leader's load would before completing, where other servers' followers
     * read it; the default stores nothing (followers in one process get the entry itself).
     */
    protected void store(CacheKey key, CacheEntry<?> entry, Claim leader) {}

    /** Whether leaders get a {@link Fence} (a coordinator that hands out leases); default false. */
    protected boolean handsOutFences() {
        return false;
    }

    @BeforeEach
    void openCoordinator() {
        coordinator = remember(createCoordinator());
    }

    @AfterEach
    void closeCoordinators() throws Exception {
        for (LoadCoordinator each : made) {
            if (each instanceof AutoCloseable closeable) {
                closeable.close();
            }
        }
    }

    private LoadCoordinator remember(LoadCoordinator made) {
        this.made.add(made);
        return made;
    }

    protected static CacheKey key(String id) {
        return new CacheKey(WORDS, id);
    }

    protected CacheEntry<String> word(String value) {
        Instant now = clock.instant();
        return CacheEntry.found(value, now, now.plusSeconds(60), now.plusSeconds(120), 1);
    }

    /** Stores the entry and completes the leader's load with it. */
    protected void complete(CacheKey key, Claim leader, CacheEntry<?> entry) {
        store(key, entry, leader);
        leader.complete(entry);
    }

    private static CacheEntry<?> outcomeOf(Claim claim) throws Exception {
        return claim.outcome().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static Object valueOf(Claim claim) throws Exception {
        return outcomeOf(claim).value().orElseThrow();
    }

    @Nested
    @DisplayName("claiming one key")
    class ClaimingOneKey {
        @Test
        @DisplayName("the first claimant leads and the next one follows, with the outcome still open")
        void firstLeadsNextFollows() {
            Claim leader = coordinator.claim(key("15"));
            Claim follower = coordinator.claim(key("15"));

            assertThat(leader.isLeader()).isTrue();
            assertThat(follower.isLeader()).isFalse();
            assertThat(follower.outcome()).isNotDone();
            leader.complete(word("done"));
        }

        @Test
        @DisplayName("different keys each have a leader of their own")
        void keysAreIndependent() {
            Claim one = coordinator.claim(key("1"));
            Claim two = coordinator.claim(key("2"));

            assertThat(one.isLeader()).isTrue();
            assertThat(two.isLeader()).isTrue();
            one.complete(word("one"));
            two.complete(word("two"));
        }

        @Test
        @DisplayName("the leader's completion reaches every follower and the leader's own outcome")
        void completionWakesFollowers() throws Exception {
            Claim leader = coordinator.claim(key("87"));
            List<Claim> followers = IntStream.range(0, 3)
                    .mapToObj(i -> coordinator.claim(key("87")))
                    .toList();
            CacheEntry<String> entry = word("Travis Kelce");

            complete(key("87"), leader, entry);

            for (Claim follower : followers) {
                assertThat(outcomeOf(follower)).isEqualTo(entry);
            }
            assertThat(outcomeOf(leader)).isEqualTo(entry);
        }

        @Test
        @DisplayName("the leader's failure reaches every follower as it is")
        void failureReachesFollowers() {
            Claim leader = coordinator.claim(key("fails"));
            Claim follower = coordinator.claim(key("fails"));
            IllegalStateException failure = new IllegalStateException("upstream down");

            leader.fail(failure);

            assertThatThrownBy(() -> outcomeOf(follower))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isSameAs(failure);
        }

        @Test
        @DisplayName("a completed load is over: the next claim of the key leads a new one")
        void completionEndsTheLoad() throws Exception {
            Claim first = coordinator.claim(key("again"));
            complete(key("again"), first, word("first"));

            Claim second = coordinator.claim(key("again"));

            assertThat(second.isLeader()).isTrue();
            assertThat(second.outcome()).isNotDone();
            complete(key("again"), second, word("second"));
            assertThat(valueOf(second)).isEqualTo("second");
        }

        @Test
        @DisplayName("a failed load is over too: the next claim of the key leads a new one")
        void failureEndsTheLoad() {
            coordinator.claim(key("retry")).fail(new IllegalStateException("first try"));

            Claim second = coordinator.claim(key("retry"));

            assertThat(second.isLeader()).isTrue();
            second.complete(word("second try"));
        }

        @Test
        @DisplayName("only the leader may end the load: a follower's complete or fail is refused")
        void onlyTheLeaderEnds() throws Exception {
            Claim leader = coordinator.claim(key("mine"));
            Claim follower = coordinator.claim(key("mine"));

            assertThatThrownBy(() -> follower.complete(word("not yours"))).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> follower.fail(new RuntimeException("not yours")))
                    .isInstanceOf(IllegalStateException.class);
            assertThat(follower.outcome()).as("the load goes on").isNotDone();
            complete(key("mine"), leader, word("the leader's"));
            assertThat(valueOf(follower)).isEqualTo("the leader's");
        }

        @Test
        @DisplayName("of 16 threads claiming one key at once, exactly one leads, and all get its value")
        void oneLeaderAmongConcurrentClaimants() throws Exception {
            int threads = 16;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Claim>> claims = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    claims.add(pool.submit(() -> {
                        start.await();
                        return coordinator.claim(key("rush"));
                    }));
                }
                start.countDown();
                List<Claim> all = new ArrayList<>();
                for (Future<Claim> claim : claims) {
                    all.add(claim.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
                }
                List<Claim> leaders = all.stream().filter(Claim::isLeader).toList();

                assertThat(leaders).hasSize(1);
                complete(key("rush"), leaders.get(0), word("one load"));
                for (Claim claim : all) {
                    assertThat(valueOf(claim)).isEqualTo("one load");
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Nested
    @DisplayName("claiming many keys")
    class ClaimingManyKeys {
        @Test
        @DisplayName("claimAll gives a claim per key, in the keys' order, each leading a key nobody loads")
        void claimsInOrder() {
            List<CacheKey> keys = List.of(key("c"), key("a"), key("b"));

            Map<CacheKey, Claim> claims = coordinator.claimAll(keys);

            assertThat(List.copyOf(claims.keySet())).isEqualTo(keys);
            assertThat(claims.values()).allMatch(Claim::isLeader);
            claims.forEach((key, claim) -> claim.complete(word(key.id())));
        }

        @Test
        @DisplayName("claimAll follows the keys being loaded and leads the others")
        void followsWhatIsInFlight() throws Exception {
            Claim running = coordinator.claim(key("running"));

            Map<CacheKey, Claim> claims = coordinator.claimAll(List.of(key("running"), key("new")));

            assertThat(claims.get(key("running")).isLeader()).isFalse();
            assertThat(claims.get(key("new")).isLeader()).isTrue();
            complete(key("running"), running, word("ran"));
            claims.get(key("new")).complete(word("new"));
            assertThat(valueOf(claims.get(key("running")))).isEqualTo("ran");
        }

        @Test
        @DisplayName("two callers claiming the same 400 keys at once, in opposite orders, do not split the lead")
        void oneStep() throws Exception {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                for (int round = 0; round < 5; round++) {
                    String prefix = "round-" + round + "-";
                    List<CacheKey> keys = IntStream.range(0, 400)
                            .mapToObj(i -> key(prefix + i))
                            .toList();
                    List<CacheKey> reversed = new ArrayList<>(keys);
                    Collections.reverse(reversed);
                    CountDownLatch start = new CountDownLatch(1);
                    Future<Map<CacheKey, Claim>> forward = pool.submit(() -> {
                        start.await();
                        return coordinator.claimAll(keys);
                    });
                    Future<Map<CacheKey, Claim>> backward = pool.submit(() -> {
                        start.await();
                        return coordinator.claimAll(reversed);
                    });
                    start.countDown();
                    Map<CacheKey, Claim> a = forward.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                    Map<CacheKey, Claim> b = backward.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

                    long aLeads = a.values().stream().filter(Claim::isLeader).count();
                    long bLeads = b.values().stream().filter(Claim::isLeader).count();
                    assertThat(List.of(aLeads, bLeads))
                            .as("round %d: leaders of each caller", round)
                            .containsExactlyInAnyOrder(400L, 0L);
                    Map<CacheKey, Claim> leading = aLeads == 400 ? a : b;
                    leading.forEach((key, claim) -> claim.complete(word(key.id())));
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Nested
    @DisplayName("fences and statistics")
    class FencesAndStatistics {
        @Test
        @DisplayName("a leader has a fence if and only if the coordinator hands out leases, each lease its own")
        void fences() {
            Claim first = coordinator.claim(key("fenced"));
            Optional<Fence> firstFence = first.fence();
            first.complete(word("first"));
            Claim second = coordinator.claim(key("fenced"));
            Claim other = coordinator.claim(key("other"));

            assertThat(firstFence.isPresent()).isEqualTo(handsOutFences());
            if (handsOutFences()) {
                assertThat(second.fence()).isPresent().isNotEqualTo(firstFence);
                assertThat(other.fence()).isPresent().isNotEqualTo(second.fence());
            } else {
                assertThat(second.fence()).isEmpty();
            }
            second.complete(word("second"));
            other.complete(word("other"));
        }

        @Test
        @DisplayName("statistics never go down from one snapshot to the next")
        void statisticsOnlyGrow() {
            CoordinatorStatistics before = coordinator.statistics();
            Claim leader = coordinator.claim(key("counted"));
            coordinator.claim(key("counted"));
            complete(key("counted"), leader, word("counted"));

            CoordinatorStatistics after = coordinator.statistics();

            assertThat(after).isNotNull();
            assertThat(after.minus(before).plus(before)).isEqualTo(after);
        }
    }

    @Nested
    @DisplayName("across servers")
    class AcrossServers {
        private LoadCoordinator peer;

        @BeforeEach
        void openPeer() {
            Optional<LoadCoordinator> made = createPeer();
            Assumptions.assumeTrue(made.isPresent(), "a coordinator of one process has no peers");
            peer = remember(made.get());
        }

        @Test
        @DisplayName("a key being loaded on one server is followed on the other, which gets the value")
        void oneLeaderAcrossServers() throws Exception {
            Claim leader = coordinator.claim(key("shared"));
            Claim follower = peer.claim(key("shared"));

            assertThat(leader.isLeader()).isTrue();
            assertThat(follower.isLeader()).isFalse();
            complete(key("shared"), leader, word("loaded once"));
            assertThat(valueOf(follower)).isEqualTo("loaded once");
        }

        @Test
        @DisplayName("the leader's failure ends the other server's wait with a failure")
        void failureAcrossServers() {
            Claim leader = coordinator.claim(key("shared-failure"));
            Claim follower = peer.claim(key("shared-failure"));

            leader.fail(new IllegalStateException("upstream down"));

            assertThatThrownBy(() -> outcomeOf(follower)).isInstanceOf(ExecutionException.class);
        }

        @Test
        @DisplayName("once the load has ended, the other server's next claim leads, with a fence of its own")
        void nextLoadAcrossServers() {
            Claim first = coordinator.claim(key("handed over"));
            complete(key("handed over"), first, word("first"));

            Claim second = peer.claim(key("handed over"));

            assertThat(second.isLeader()).isTrue();
            if (handsOutFences()) {
                assertThat(second.fence()).isPresent().isNotEqualTo(first.fence());
            }
            second.complete(word("second"));
        }
    }
}
