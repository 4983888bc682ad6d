package io.huddle.core.spi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Statistics snapshots of the coordinator and the bus add and subtract")
class StatisticsSnapshotsTest {
    @Test
    @DisplayName("coordinator statistics add and subtract field by field, never below zero")
    void coordinator() {
        CoordinatorStatistics a = new CoordinatorStatistics(1, 2, 3, 4, 5);
        CoordinatorStatistics b = new CoordinatorStatistics(10, 20, 30, 40, 50);

        assertThat(a.plus(b)).isEqualTo(new CoordinatorStatistics(11, 22, 33, 44, 55));
        assertThat(b.minus(a)).isEqualTo(new CoordinatorStatistics(9, 18, 27, 36, 45));
        assertThat(a.minus(b)).isEqualTo(CoordinatorStatistics.EMPTY);
        assertThat(a.plus(CoordinatorStatistics.EMPTY)).isEqualTo(a);
    }

    @Test
    @DisplayName("bus statistics add and subtract field by field, never below zero")
    void bus() {
        BusStatistics a = new BusStatistics(1, 2, 3, 4, 5);
        BusStatistics b = new BusStatistics(10, 20, 30, 40, 50);

        assertThat(a.plus(b)).isEqualTo(new BusStatistics(11, 22, 33, 44, 55));
        assertThat(b.minus(a)).isEqualTo(new BusStatistics(9, 18, 27, 36, 45));
        assertThat(a.minus(b)).isEqualTo(BusStatistics.EMPTY);
        assertThat(a.plus(BusStatistics.EMPTY)).isEqualTo(a);
    }

    @Test
    @DisplayName("a bus that counts nothing reports EMPTY")
    void defaultBusStatistics() {
        InvalidationBus bus = new InvalidationBus() {
            @Override
            public void publish(Invalidation invalidation) {}

            @Override
            public Subscription subscribe(java.util.function.Consumer<Invalidation> listener) {
                return () -> {};
            }

            @Override
            public void close() {}
        };

        assertThat(bus.statistics()).isEqualTo(BusStatistics.EMPTY);
    }
}
