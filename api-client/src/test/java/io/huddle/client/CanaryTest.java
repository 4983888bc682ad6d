package io.huddle.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.huddle.sim.UpstreamSimulator;
import io.huddle.sports.Season;
import io.huddle.sports.UpstreamException;
import io.huddle.testkit.ManualClock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The API key appears in nothing the client produces")
class CanaryTest {
    private static final String CANARY = "canary-5b1f0d2e-7c4a-4e21-9a53-d6f0c1b7e8a4";

    private final List<Throwable> failures = new ArrayList<>();
    private final List<String> texts = new ArrayList<>();

    @Test
    @DisplayName("a canary key run through every fault of the simulator shows in no log line, message or toString")
    void canaryKeyIsNeverShown() throws Exception {
        String printed = capturingEverythingPrinted(() -> {
            everyFault();
            unauthorized();
            badKeys();
        });

        assertThat(failures).as("the faults were met").hasSizeGreaterThan(15);
        assertThat(printed).as("the log was captured").contains("WARN io.huddle.core.SharedCache");
        assertThat(printed).doesNotContain(CANARY).doesNotContain("5b1f0d2e");
        for (Throwable failure : failures) {
            for (Throwable link : chain(failure)) {
                texts.add(String.valueOf(link.getMessage()));
                texts.add(link.toString());
            }
            StringWriter trace = new StringWriter();
            failure.printStackTrace(new PrintWriter(trace));
            texts.add(trace.toString());
        }
        assertThat(texts).noneMatch(text -> text.contains(CANARY) || text.contains("5b1f0d2e"));
    }

    private void everyFault() throws InterruptedException {
        ManualClock circuitClock = new ManualClock();
        try (SimulatedStack stack = SimulatedStack.startWithKey(
                CANARY + "\n",
                sim -> sim,
                client -> client.requestTimeout(Duration.ofMillis(300))
                        .maxAttempts(2)
                        .retryBackoff(Duration.ofMillis(10))
                        .maxRetryAfter(Duration.ofMillis(200))
                        .maxRetryWait(Duration.ofMillis(100))
                        .maxWaitForPermit(Duration.ofMillis(50))
                        .maxBodyBytes(64 * 1024)
                        .circuitBreaker(50, 20, Duration.ofSeconds(30))
                        .clock(circuitClock))) {
            texts.add(stack.client.toString());
            stack.service.seasonStats("Josh Allen"); // cached, so that a failed refresh is logged later

            fail(stack, sim -> sim.failNext(2, 503), UpstreamException.Unavailable.class, "503");
            fail(stack, sim -> sim.rateLimitNext(1, "86400"), UpstreamException.RateLimited.class, "429");
            fail(stack, sim -> {}, UpstreamException.RateLimited.class, "asked for no requests");
            awaitQuietEnd(stack);
            fail(stack, sim -> sim.rateLimitNext(2, "soon"), UpstreamException.RateLimited.class, "429");
            fail(stack, sim -> sim.hangNext(2), UpstreamException.Unavailable.class, "no complete answer");
            fail(stack, sim -> sim.dripNext(2, 10), UpstreamException.Unavailable.class, "no complete answer");
            fail(stack, sim -> sim.endlessNext(2), UpstreamException.Unavailable.class, "no complete answer");
            fail(stack, sim -> sim.malformedNext(1), UpstreamException.BadResponse.class, "not the expected JSON");
            fail(stack, sim -> sim.hugeNext(1, 1_000_000), UpstreamException.BadResponse.class, "larger than");
            fail(stack, sim -> sim.setRateLimitPerMinute(1), UpstreamException.RateLimited.class, "429");
            stack.sim.setRateLimitPerMinute(0);
            awaitQuietEnd(stack);
            assertThat(stack.client.isAcceptingRequests()).isTrue();

            stack.sim.failAll(503);
            // just past the longest ttl (jitter only shortens it) and within every stale-while-revalidate
            // window it allows (ttl shortened by at most 10 %, plus a tenth of the ttl): served stale, refreshed
            stack.clock.advance(Duration.ofMinutes(60).plusMillis(1));
            long failedLoads = stack.cache.stats().loadFailures();
            assertThat(stack.service.seasonStats("Josh Allen")).isPresent(); // stale; its refresh fails and is logged
            awaitTrue(() -> stack.cache.stats().loadFailures() > failedLoads); // the refresh runs in the background
            for (int i = 0; i < 20 && stack.client.isAcceptingRequests(); i++) {
                fail(stack, sim -> {}, UpstreamException.Unavailable.class, "");
            }
            assertThat(stack.client.isAcceptingRequests())
                    .as("the circuit opened")
                    .isFalse();
            fail(stack, sim -> {}, UpstreamException.Unavailable.class, "circuit breaker is open");
            try {
                stack.service.findPlayer("Nobody Known"); // through the engine, which logs and wraps
            } catch (RuntimeException e) {
                failures.add(e);
            }
            stack.sim.heal();
        }
    }

    private void unauthorized() {
        try (SimulatedStack stack =
                SimulatedStack.startWithKey(CANARY, sim -> sim.apiKey("another-key"), client -> client)) {
            assertThatThrownBy(() -> stack.client.seasonStats("1", Season.of(2024)))
                    .isInstanceOf(UpstreamException.Unauthorized.class);
            fail(stack, sim -> {}, UpstreamException.Unauthorized.class, "401");
        }
    }

    private void badKeys() {
        for (String bad :
                List.of(CANARY + "\u0000", "x" + CANARY + "\n" + CANARY, CANARY + " " + CANARY, CANARY + "\u00e9")) {
            assertThatThrownBy(() -> BalldontlieClient.builder(URI.create("http://127.0.0.1:1"), bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .satisfies(failures::add);
        }
    }

    /** Arms the fault, makes one call, checks it failed as the fault should, and keeps what it threw. */
    private void fail(
            SimulatedStack stack,
            Consumer<UpstreamSimulator> fault,
            Class<? extends UpstreamException> expected,
            String message) {
        fault.accept(stack.sim);
        assertThatThrownBy(() -> stack.client.teams())
                .isInstanceOf(expected)
                .hasMessageContaining(message)
                .satisfies(failures::add);
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        assertThat(condition.getAsBoolean()).isTrue();
    }

    private static void awaitQuietEnd(SimulatedStack stack) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (stack.client.isKeepingQuiet() && System.nanoTime() < until) {
            Thread.sleep(5); // the quiet ends by the client's clock, which tests cannot move
        }
        assertThat(stack.client.isKeepingQuiet()).isFalse();
    }

    private static List<Throwable> chain(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Throwable> pending = new ArrayList<>(List.of(failure));
        List<Throwable> all = new ArrayList<>();
        while (!pending.isEmpty()) {
            Throwable next = pending.remove(pending.size() - 1);
            if (next != null && seen.add(next)) {
                all.add(next);
                pending.add(next.getCause());
                pending.addAll(List.of(next.getSuppressed()));
            }
        }
        return all;
    }

    /** Runs {@code work} with System.out, System.err and java.util.logging copied into one text. */
    static String capturingEverythingPrinted(Work work) throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = System.out;
        PrintStream err = System.err;
        Logger root = Logger.getLogger("");
        Handler julCopy = new Handler() {
            @Override
            public void publish(LogRecord record) {
                synchronized (printed) {
                    printed.writeBytes(new SimpleFormatter().format(record).getBytes(StandardCharsets.UTF_8));
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        System.setOut(new PrintStream(new Tee(printed, out), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new Tee(printed, err), true, StandardCharsets.UTF_8));
        root.addHandler(julCopy);
        try {
            work.run();
        } finally {
            root.removeHandler(julCopy);
            System.setOut(out);
            System.setErr(err);
        }
        synchronized (printed) {
            return printed.toString(StandardCharsets.UTF_8);
        }
    }

    @FunctionalInterface
    interface Work {
        void run() throws Exception;
    }

    /** Writes to the capture and on to where the stream went before. */
    private static final class Tee extends OutputStream {
        private final ByteArrayOutputStream capture;
        private final OutputStream onward;

        Tee(ByteArrayOutputStream capture, OutputStream onward) {
            this.capture = capture;
            this.onward = onward;
        }

        @Override
        public void write(int b) throws IOException {
            synchronized (capture) {
                capture.write(b);
            }
            onward.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            synchronized (capture) {
                capture.write(bytes, offset, length);
            }
            onward.write(bytes, offset, length);
        }

        @Override
        public void flush() throws IOException {
            onward.flush();
        }
    }
}
