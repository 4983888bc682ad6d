package io.huddle.redis;

import io.huddle.core.api.CacheKey;
import io.huddle.core.spi.CacheEntry;
import io.huddle.core.spi.LoadCoordinator;
import io.huddle.core.spi.LoadCoordinator.Claim;
import io.huddle.testkit.Eventually;
import io.huddle.testkit.LoadCoordinatorContractKit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;

@DisplayName("The Redis lease coordinator keeps the coordinator contract")
class RedisLoadCoordinatorContractIT extends LoadCoordinatorContractKit {
    private final String prefix = TestRedis.newPrefix();
    private final List<RedisHuddle> servers = new ArrayList<>();

    @Override
    protected LoadCoordinator createCoordinator() {
        return coordinatorOfNewServer();
    }

    /** Another server: a connection of its own to the same Redis and prefix. */
    @Override
    protected Optional<LoadCoordinator> createPeer() {
        return Optional.of(coordinatorOfNewServer());
    }

    /** The leader writes its value fenced by its lease, as the engine does, where followers read it. */
    @Override
    protected void store(CacheKey key, CacheEntry<?> entry, Claim leader) {
        servers.get(0)
                .cachePort()
                .putFenced(key, entry, Duration.ofMinutes(1), leader.fence().orElseThrow());
    }

    @Override
    protected boolean handsOutFences() {
        return true;
    }

    private LoadCoordinator coordinatorOfNewServer() {
        RedisHuddle redis = TestRedis.redisOn(prefix).build();
        servers.add(redis);
        RedisLoadCoordinator coordinator = redis.redisLoadCoordinator();
        // an outcome announced before the subscription is in place would reach no waiter
        Eventually.await("the coordinator uses Redis", WAIT, coordinator::isUsingRedis);
        return coordinator;
    }

    @AfterEach
    void closeServers() {
        servers.forEach(RedisHuddle::close);
        TestRedis.deletePrefix(prefix);
    }
}
