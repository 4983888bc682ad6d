package io.huddle.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.huddle.core.api.CacheKey;
import io.huddle.core.api.CachePolicy;
import io.huddle.core.api.DataKind;
import io.huddle.core.spi.BusStatistics;
import io.huddle.core.spi.Invalidation;
import io.huddle.core.spi.InvalidationBus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link InvalidationBus} must have, as its javadoc states it: a published
 * message reaches every subscriber, the publisher's own included, once and as it was sent (a key, a
 * kind, or everything); closing a subscription stops it alone; a listener that throws does not stop
 * the others; a closed bus delivers nothing and closing it again is harmless. A bus's test extends
 * this class and says how to make one, and how another engine (another server) hears it:
 *
 * <pre>{@code
 * class InProcessInvalidationBusContractTest extends InvalidationBusContractKit {
 *     protected InvalidationBus createBus() {
 *         return new InProcessInvalidationBus();
 *     }
 *
 *     protected InvalidationBus createPeer(InvalidationBus bus) {
 *         return bus; // engines in one process share the bus
 *     }
 * }
 * }</pre>
 *
 * <p>A bus may tell its listeners {@link Invalidation#everything everything} changed on its own (it
 * may have lost messages); the kit counts only the messages it published itself, whose origin starts
 * with {@value #ORIGIN}. Every wait for a message is bounded by {@link #WAIT}; nothing sleeps.
 */
public abstract class InvalidationBusContractKit {
    /** The longest the kit waits for a message that must come. */
    protected static final Duration WAIT = Duration.ofSeconds(10);

    /** The start of the origin of every message the kit publishes. */
    protected static final String ORIGIN = "kit-engine";

    protected static final DataKind<String> WORDS =
            DataKind.of("kit-bus", String.class, CachePolicy.ofTtl(Duration.ofMinutes(5)));

    protected InvalidationBus bus;
    private final List<InvalidationBus> made = new ArrayList<>();

    /** A new bus, on a channel (or store) no other test uses. */
    protected abstract InvalidationBus createBus();

    /**
     * The bus another engine uses to hear {@code bus}: the same bus for engines in one process, a bus
     * of its own on the same store for another server. Closed by the kit.
     */
    protected abstract InvalidationBus createPeer(InvalidationBus bus);

    /** Waits until the bus hears what is published from now on; the default waits for nothing. */
    protected void awaitReady(InvalidationBus bus) throws Exception {}

    @BeforeEach
    void openBus() throws Exception {
        bus = remember(createBus());
        awaitReady(bus);
    }

    @AfterEach
    void closeBuses() {
        made.forEach(InvalidationBus::close);
    }

    private InvalidationBus remember(InvalidationBus made) {
        this.made.add(made);
        return made;
    }

    /** A peer of the bus, ready to hear it. */
    protected InvalidationBus peerOf(InvalidationBus bus) throws Exception {
        InvalidationBus peer = createPeer(bus);
        if (peer != bus) {
            remember(peer);
            awaitReady(peer);
        }
        return peer;
    }

    protected static Invalidation ofKey(String id) {
        return Invalidation.ofKey(ORIGIN, new CacheKey(WORDS, id));
    }

    /** A listener that keeps the kit's own messages, in order. */
    protected static final class Recorder implements Consumer<Invalidation> {
        private final BlockingQueue<Invalidation> heard = new LinkedBlockingQueue<>();

        @Override
        public void accept(Invalidation invalidation) {
            if (invalidation.origin().startsWith(ORIGIN)) {
                heard.add(invalidation);
            }
        }

        /** The next message, waiting for it at most {@link #WAIT}; fails if none came. */
        public Invalidation next() throws InterruptedException {
            Invalidation next = heard.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(next).as("a message within %s", WAIT).isNotNull();
            return next;
        }

        /** The messages heard and not yet taken by {@link #next}. */
        public List<Invalidation> pending() {
            return List.copyOf(heard);
        }
    }

    private Recorder listen(InvalidationBus on) {
        Recorder recorder = new Recorder();
        on.subscribe(recorder);
        return recorder;
    }

    @Nested
    @DisplayName("within one engine")
    class WithinOneEngine {
        @Test
        @DisplayName("a published message reaches the publisher's own listener, as it was sent")
        void ownListenerHearsIt() throws Exception {
            Recorder recorder = listen(bus);

            bus.publish(ofKey("15"));

            assertThat(recorder.next()).isEqualTo(ofKey("15"));
        }

        @Test
        @DisplayName("every listener hears every message, in the order published")
        void everyListenerInOrder() throws Exception {
            Recorder one = listen(bus);
            Recorder two = listen(bus);

            bus.publish(ofKey("1"));
            bus.publish(Invalidation.ofKind(ORIGIN, WORDS));
            bus.publish(Invalidation.everything(ORIGIN));

            for (Recorder recorder : List.of(one, two)) {
                assertThat(recorder.next()).isEqualTo(ofKey("1"));
                assertThat(recorder.next()).isEqualTo(Invalidation.ofKind(ORIGIN, WORDS));
                assertThat(recorder.next()).isEqualTo(Invalidation.everything(ORIGIN));
            }
        }

        @Test
        @DisplayName("a closed subscription hears nothing more; the others still hear")
        void unsubscribe() throws Exception {
            Recorder leaving = new Recorder();
            Recorder staying = listen(bus);
            InvalidationBus.Subscription subscription = bus.subscribe(leaving);
            bus.publish(ofKey("before"));
            assertThat(leaving.next()).isEqualTo(ofKey("before"));
            assertThat(staying.next()).isEqualTo(ofKey("before"));

            subscription.close();
            subscription.close();
            bus.publish(ofKey("after"));

            assertThat(staying.next()).isEqualTo(ofKey("after"));
            assertThat(leaving.pending()).isEmpty();
        }

        @Test
        @DisplayName("a listener that throws does not stop the others")
        void throwingListener() throws Exception {
            bus.subscribe(invalidation -> {
                throw new IllegalStateException("a broken listener");
            });
            Recorder recorder = listen(bus);

            assertThatCode(() -> bus.publish(ofKey("still heard"))).doesNotThrowAnyException();

            assertThat(recorder.next()).isEqualTo(ofKey("still heard"));
        }

        @Test
        @DisplayName("a closed bus delivers nothing, publishing on it does not throw, and closing again is harmless")
        void close() throws Exception {
            Recorder recorder = listen(bus);
            bus.publish(ofKey("before"));
            assertThat(recorder.next()).isEqualTo(ofKey("before"));

            bus.close();

            assertThatCode(() -> bus.publish(ofKey("after"))).doesNotThrowAnyException();
            assertThatCode(bus::close).doesNotThrowAnyException();
            assertThat(recorder.pending()).isEmpty();
        }

        @Test
        @DisplayName("statistics never go down from one snapshot to the next")
        void statisticsOnlyGrow() throws Exception {
            BusStatistics before = bus.statistics();
            Recorder recorder = listen(bus);
            bus.publish(ofKey("counted"));
            recorder.next();

            BusStatistics after = bus.statistics();

            assertThat(after).isNotNull();
            assertThat(after.minus(before).plus(before)).isEqualTo(after);
        }
    }

    @Nested
    @DisplayName("between engines")
    class BetweenEngines {
        @Test
        @DisplayName("a message published by one engine reaches another's listener, as it was sent")
        void peerHearsIt() throws Exception {
            InvalidationBus peer = peerOf(bus);
            Recorder hearing = listen(peer);

            bus.publish(ofKey("87"));
            bus.publish(Invalidation.ofKind(ORIGIN + "-a", WORDS));

            assertThat(hearing.next()).isEqualTo(ofKey("87"));
            assertThat(hearing.next()).isEqualTo(Invalidation.ofKind(ORIGIN + "-a", WORDS));
        }

        @Test
        @DisplayName("each engine's listener hears each message once, its own included, in the order sent")
        void onceEach() throws Exception {
            InvalidationBus peer = peerOf(bus);
            Recorder here = listen(bus);
            Recorder there = listen(peer);

            bus.publish(ofKey("from here"));
            assertThat(there.next()).isEqualTo(ofKey("from here"));
            peer.publish(Invalidation.ofKey(ORIGIN + "-peer", new CacheKey(WORDS, "from there")));

            assertThat(here.next()).isEqualTo(ofKey("from here"));
            assertThat(here.next()).isEqualTo(Invalidation.ofKey(ORIGIN + "-peer", new CacheKey(WORDS, "from there")));
            assertThat(there.next()).isEqualTo(Invalidation.ofKey(ORIGIN + "-peer", new CacheKey(WORDS, "from there")));
            assertThat(here.pending()).as("nothing twice").isEmpty();
            assertThat(there.pending()).as("nothing twice").isEmpty();
        }
    }
}
