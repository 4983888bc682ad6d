package io.huddle.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.exceptions.JedisConnectionException;

@DisplayName("The port tells which Redis answers after a failure, before its next command")
class StoreIdentityTest {
    private final AtomicReference<String> runId = new AtomicReference<>("first");
    private final List<Boolean> told = new ArrayList<>();
    private final StoreIdentity identity = new StoreIdentity(() -> {
        String id = runId.get();
        if (id == null) {
            throw new JedisConnectionException("connection refused");
        }
        return Optional.of(id);
    });

    {
        identity.learn();
        identity.listen(told::add);
    }

    @Test
    @DisplayName("without a failure nothing is asked and nobody is told")
    void quietWhileHealthy() {
        runId.set("changed without a failure");
        identity.beforeCommand();

        assertThat(told).isEmpty();
    }

    @Test
    @DisplayName("after a failure, the same run id means Redis kept its entries, another that it lost them")
    void restartSeen() {
        identity.failed();
        identity.beforeCommand();
        identity.failed();
        runId.set("second");
        identity.beforeCommand();
        identity.beforeCommand();

        assertThat(told).containsExactly(false, true);
    }

    @Test
    @DisplayName("a check that cannot reach Redis fails the command and is made again at the next one")
    void checkAgainWhileDown() {
        identity.failed();
        runId.set(null);
        assertThatThrownBy(identity::beforeCommand).isInstanceOf(JedisConnectionException.class);
        runId.set("second");
        identity.beforeCommand();

        assertThat(told).containsExactly(true);
    }

    @Test
    @DisplayName("the run id is read from INFO server")
    void parsesInfo() {
        assertThat(StoreIdentity.runIdOf("# Server\r\nredis_version:7.0.15\r\nrun_id:abc123\r\ntcp_port:6379\r\n"))
                .contains("abc123");
        assertThat(StoreIdentity.runIdOf("# Server\r\nredis_version:7.0.15\r\n"))
                .isEmpty();
    }
}
