package io.huddle.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A budget plan")
class BudgetPlanTest {

    @Test
    @DisplayName("of 60 a minute holds a burst of 6 with a reserve of 3, and refills 53 so that a minute sees 59")
    void perMinute() {
        BudgetPlan plan = BudgetPlan.perMinute(60);

        assertThat(plan).isEqualTo(new BudgetPlan(60, Duration.ofMinutes(1), 6, 3, 1));
        assertThat(plan.bucket()).isEqualTo(new BudgetPlan.Bucket(6, 53, Duration.ofMinutes(1), 3));
    }

    @Test
    @DisplayName("of 2 requests keeps no headroom, since a bucket must refill at least one token")
    void smallest() {
        assertThat(BudgetPlan.of(2, Duration.ofSeconds(1)).bucket())
                .isEqualTo(new BudgetPlan.Bucket(1, 1, Duration.ofSeconds(1), 0));
    }

    @Test
    @DisplayName("shared by one server is the whole bucket")
    void shareOfOne() {
        BudgetPlan plan = BudgetPlan.perMinute(60);

        assertThat(plan.share(1)).isEqualTo(plan.bucket());
    }

    @Test
    @DisplayName("shared by four gives each a token of the burst and a quarter of the rest, over four periods")
    void shareOfFour() {
        assertThat(BudgetPlan.perMinute(60).share(4)).isEqualTo(new BudgetPlan.Bucket(1, 55, Duration.ofMinutes(4), 0));
    }

    @Test
    @DisplayName("shared by no more servers than the burst keeps the fleet within the plan less its headroom")
    void sharesStayWithinThePlan() {
        for (int requests : new int[] {10, 60, 61, 600, 1000}) {
            BudgetPlan plan = BudgetPlan.perMinute(requests);
            for (int servers = 1; servers <= plan.burst(); servers++) {
                BudgetPlan.Bucket share = plan.share(servers);
                // one server's most in a period: its capacity, then what it refills in one period
                double perServer = share.capacity()
                        + share.refillTokens()
                                * ((double) plan.period().toNanos()
                                        / share.refillPeriod().toNanos());
                assertThat(servers * perServer)
                        .as("%d servers sharing %s", servers, plan)
                        .isLessThanOrEqualTo(plan.requests() - plan.headroom() + 1e-9);
            }
        }
    }

    @Test
    @DisplayName("rejects values that cannot make a bucket, naming the field and the value")
    void rejects() {
        assertThatThrownBy(() -> BudgetPlan.perMinute(1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("requests must be at least 2, was 1");
        assertThatThrownBy(() -> new BudgetPlan(10, Duration.ZERO, 1, 0, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("period must be positive, was PT0S");
        assertThatThrownBy(() -> new BudgetPlan(10, Duration.ofMinutes(1), 9, 0, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("burst + headroom must stay below the plan's 10 requests, was 9 + 1");
        assertThatThrownBy(() -> new BudgetPlan(10, Duration.ofMinutes(1), 3, 3, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("reserve must be below the burst of 3, was 3");
        assertThatThrownBy(() -> BudgetPlan.perMinute(60).share(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("servers must be positive, was 0");
    }
}
