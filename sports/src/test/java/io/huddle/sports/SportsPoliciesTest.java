package io.huddle.sports;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Sports policies")
class SportsPoliciesTest {
    @Test
    @DisplayName("the sports kinds keep the seed's freshness")
    void sportsDefaults() {
        assertThat(SportsPolicies.TEAM_LIST.ttl()).isEqualTo(Duration.ofHours(24));
        assertThat(SportsPolicies.ROSTER.ttl()).isEqualTo(Duration.ofHours(6));
        assertThat(SportsPolicies.PLAYER_ID.ttl()).isEqualTo(Duration.ofHours(24));
        assertThat(SportsPolicies.PLAYER_STATS.ttl()).isEqualTo(Duration.ofHours(1));
    }
}
