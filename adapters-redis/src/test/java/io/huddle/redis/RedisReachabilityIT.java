package io.huddle.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.huddle.testkit.Eventually;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("RedisHuddle.isReachable, for a health check")
class RedisReachabilityIT {

    @Test
    @DisplayName("says whether Redis answers: yes while up, no while killed, yes again after a restart, no once closed")
    void followsTheServer() throws Exception {
        try (OwnedRedis redis = OwnedRedis.start()) {
            RedisHuddle huddle = RedisHuddle.builder()
                    .standalone("127.0.0.1", redis.port)
                    .keyPrefix(TestRedis.newPrefix())
                    .build();
            try {
                assertThat(huddle.isReachable()).isTrue();

                redis.kill();
                assertThat(huddle.isReachable()).isFalse();

                redis.restart();
                Eventually.await("Redis answers again", Duration.ofSeconds(30), huddle::isReachable);
            } finally {
                huddle.close();
            }
            assertThat(huddle.isReachable()).isFalse();
        }
    }
}
