package io.huddle.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.huddle.core.spi.InvalidationBus;
import io.huddle.testkit.InvalidationBusContractKit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;

@DisplayName("The Redis invalidation bus keeps the bus contract")
class RedisInvalidationBusContractIT extends InvalidationBusContractKit {
    private final String prefix = TestRedis.newPrefix();
    private final List<RedisHuddle> servers = new ArrayList<>();

    @Override
    protected InvalidationBus createBus() {
        return busOfNewServer();
    }

    /** Another server: a connection and a bus of its own on the same Redis and prefix. */
    @Override
    protected InvalidationBus createPeer(InvalidationBus bus) {
        return busOfNewServer();
    }

    @Override
    protected void awaitReady(InvalidationBus bus) throws Exception {
        assertThat(((RedisInvalidationBus) bus).awaitSubscribed(WAIT))
                .as("subscribed")
                .isTrue();
    }

    private InvalidationBus busOfNewServer() {
        RedisHuddle redis = TestRedis.redisOn(prefix).build();
        servers.add(redis);
        return redis.invalidationBus();
    }

    @AfterEach
    void closeServers() {
        servers.forEach(RedisHuddle::close);
    }
}
