package io.huddle.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.huddle.sports.Comparison;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Many users asking the same cold comparison at once")
class ConcurrentUsersTest {
    private static final int USERS = 1000;

    @ParameterizedTest(name = "name search {0}")
    @ValueSource(booleans = {false, true})
    @DisplayName("cost the upstream exactly what one user costs")
    void costWhatOneUserCosts(boolean nameSearch) throws Exception {
        long oneUser;
        try (SimulatedStack stack = SimulatedStack.start(nameSearch)) {
            stack.service.compare("Josh Allen", "Lamar Jackson");
            oneUser = stack.calls();
        }

        try (SimulatedStack stack = SimulatedStack.start(nameSearch)) {
            ExecutorService users = Executors.newFixedThreadPool(USERS);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Comparison>> answers = new ArrayList<>();
                for (int i = 0; i < USERS; i++) {
                    answers.add(users.submit(() -> {
                        start.await();
                        return stack.service.compare("Josh Allen", "Lamar Jackson");
                    }));
                }
                start.countDown();
                Set<Comparison> distinct = new HashSet<>();
                for (Future<Comparison> answer : answers) {
                    distinct.add(answer.get());
                }

                assertThat(distinct).hasSize(1);
                assertThat(distinct.iterator().next().first().teamId()).isEqualTo("BUF");
                assertThat(stack.calls()).isEqualTo(oneUser);
                assertThat(stack.cache.stats().requests()).isGreaterThan(USERS);
            } finally {
                users.shutdownNow();
            }
        }
        assertThat(oneUser).isEqualTo(nameSearch ? 3 : 34);
    }
}
