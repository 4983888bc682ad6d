package io.huddle.client;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The body of one exchange, collected up to a byte limit. Past the limit, or when {@link #abort()}
 * is called (at the exchange's deadline), the body stops: its stream is cancelled, which makes the
 * JDK close the connection instead of reading on, and the body fails. One instance per request.
 */
final class BoundedBody implements HttpResponse.BodyHandler<byte[]> {
    private final long maxBytes;
    private final AtomicReference<Collector> collector = new AtomicReference<>();
    private volatile boolean aborted;

    BoundedBody(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    public HttpResponse.BodySubscriber<byte[]> apply(HttpResponse.ResponseInfo response) {
        Collector created = new Collector(maxBytes);
        collector.set(created);
        if (aborted) { // the deadline passed as the headers arrived
            created.stop(new IOException("aborted"));
        }
        return created;
    }

    /** Stops the body now, wherever it is; harmless once it is complete. */
    void abort() {
        aborted = true;
        Collector current = collector.get();
        if (current != null) {
            current.stop(new IOException("aborted"));
        }
    }

    /** Whether the body was stopped for passing the limit. */
    boolean tooLarge() {
        Collector current = collector.get();
        return current != null && current.tooLarge;
    }

    /** Keeps the buffers until the body is complete; never holds more than the limit. */
    private static final class Collector implements HttpResponse.BodySubscriber<byte[]> {
        private final long maxBytes;
        private final CompletableFuture<byte[]> body = new CompletableFuture<>();
        private final AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();
        private final List<ByteBuffer> received = new ArrayList<>(); // onNext and onComplete only
        private long size;
        private volatile boolean tooLarge;

        Collector(long maxBytes) {
            this.maxBytes = maxBytes;
        }

        @Override
        public void onSubscribe(Flow.Subscription given) {
            if (!subscription.compareAndSet(null, given) || body.isDone()) {
                given.cancel();
                return;
            }
            given.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (body.isDone()) {
                return;
            }
            for (ByteBuffer buffer : buffers) {
                size += buffer.remaining();
            }
            if (size > maxBytes) {
                tooLarge = true;
                stop(new IOException("the body is larger than " + maxBytes + " bytes"));
                return;
            }
            received.addAll(buffers);
        }

        @Override
        public void onError(Throwable failure) {
            received.clear();
            body.completeExceptionally(failure);
        }

        @Override
        public void onComplete() {
            if (body.isDone()) {
                return;
            }
            byte[] whole = new byte[(int) size];
            int at = 0;
            for (ByteBuffer buffer : received) {
                int length = buffer.remaining();
                buffer.get(whole, at, length);
                at += length;
            }
            received.clear();
            body.complete(whole);
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return body;
        }

        /** Fails the body and cancels its stream, now or as soon as the stream begins. */
        void stop(Throwable why) {
            body.completeExceptionally(why);
            Flow.Subscription current = subscription.get();
            if (current != null) {
                current.cancel();
            }
        }
    }
}
