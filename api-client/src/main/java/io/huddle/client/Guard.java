package io.huddle.client;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.functions.Either;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.huddle.core.spi.PermitRefusedException;
import io.huddle.core.spi.UpstreamBudget;
import io.huddle.sports.UpstreamException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Resilience4j around every request, outermost first: the provider's {@code Retry-After}, retry,
 * circuit breaker, bulkhead, and last a permit from the upstream budget ({@link #takePermit}), taken
 * right before the request is sent, so that a request reaches the provider when its permit says and
 * not after a wait for a bulkhead slot. Each attempt takes its own permit, with the priority of the
 * load it runs in ({@link UpstreamBudget.Priority#current()}), so retries count against the plan; an
 * open circuit or a full bulkhead takes none. Resilience4j's exceptions end here, turned into {@link
 * UpstreamException}s; a permit the budget refused is a {@link UpstreamException.RateLimited} caused by
 * a {@link PermitRefusedException}, which the engine counts, for background work, as skipped for
 * budget.
 *
 * <p>When the provider answers 429 with {@code Retry-After}, every request of this client keeps quiet
 * until then (never longer than {@code maxRetryAfter}): one that may wait that long ({@code
 * maxWaitForPermit}) waits, the others fail at once as rate limited, without a request, so a storm
 * of callers cannot turn into a storm of 429s.
 *
 * <p>The circuit breaker counts {@link UpstreamException.Unavailable} as failures and ignores {@link
 * UpstreamException.BadResponse}: an unreadable answer says the provider is up.
 *
 * <p>Each guard comes from a Resilience4j registry of this client's own ({@link #registries()}), so
 * that Resilience4j's Micrometer binders can publish them ({@link ClientMetrics}).
 */
final class Guard {
    private final BalldontlieClient.Settings settings;
    private final Registries registries;
    private final Retry retry;
    private final CircuitBreaker circuitBreaker;
    private final UpstreamBudget budget;
    private final Bulkhead bulkhead;
    private final AtomicLong quietUntilNanos = new AtomicLong(System.nanoTime());

    Guard(String name, BalldontlieClient.Settings settings) {
        this.settings = settings;
        this.budget = settings.budget();
        CircuitBreakerRegistry circuitBreakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .slidingWindowSize(settings.circuitWindow())
                .minimumNumberOfCalls(settings.circuitMinimumCalls())
                .failureRateThreshold(50)
                .waitDurationInOpenState(settings.circuitOpenFor())
                .permittedNumberOfCallsInHalfOpenState(1)
                .recordException(e -> e instanceof UpstreamException.Unavailable)
                .ignoreException(e -> e instanceof UpstreamException.BadResponse)
                .clock(settings.clock().withZone(ZoneOffset.UTC))
                .build());
        BulkheadRegistry bulkheads = BulkheadRegistry.of(BulkheadConfig.custom()
                .maxConcurrentCalls(settings.maxConcurrentRequests())
                .maxWaitDuration(settings.maxWaitForPermit())
                .build());
        RetryRegistry retries = RetryRegistry.of(RetryConfig.<Object>custom()
                .maxAttempts(settings.maxAttempts())
                .retryOnException(this::worthRetrying)
                .intervalBiFunction(new Backoff())
                .build());
        this.registries = new Registries(circuitBreakers, retries, bulkheads);
        this.circuitBreaker = circuitBreakers.circuitBreaker(name);
        this.bulkhead = bulkheads.bulkhead(name);
        this.retry = retries.retry(name);
    }

    /** The registries holding this guard's circuit breaker, retry and bulkhead, and nothing else. */
    Registries registries() {
        return registries;
    }

    /** Resilience4j's registries of one client's guards, each holding one instance of the client's name. */
    record Registries(CircuitBreakerRegistry circuitBreakers, RetryRegistry retries, BulkheadRegistry bulkheads) {}

    /** Runs one idempotent request under every guard. */
    <T> T call(String request, Supplier<T> send) {
        Supplier<T> guarded = () -> {
            takePermit();
            return send.get();
        };
        guarded = notingRetryAfter(guarded);
        guarded = Bulkhead.decorateSupplier(bulkhead, guarded);
        guarded = CircuitBreaker.decorateSupplier(circuitBreaker, guarded);
        guarded = Retry.decorateSupplier(retry, guarded);
        guarded = honouringRetryAfter(request, guarded);
        try {
            return guarded.get();
        } catch (NoPermit e) {
            if (e.interrupted) {
                throw new UpstreamException.Unavailable(request, "interrupted while waiting for a permit", null);
            }
            throw new UpstreamException.RateLimited(
                    request,
                    e.priority == UpstreamBudget.Priority.BACKGROUND
                            ? "the upstream budget had no permit above its reserve for background work"
                            : "the upstream budget had no permit within " + settings.maxWaitForPermit(),
                    null,
                    new PermitRefusedException(e.priority));
        } catch (CallNotPermittedException e) {
            throw new UpstreamException.Unavailable(
                    request,
                    "the circuit breaker is open after repeated failures; retrying in " + settings.circuitOpenFor(),
                    null);
        } catch (BulkheadFullException e) {
            throw new UpstreamException.Unavailable(
                    request,
                    "more than " + settings.maxConcurrentRequests() + " requests were already in flight",
                    null);
        }
    }

    /**
     * The one place where a request takes its permit of the plan: a user waits at most {@code
     * maxWaitForPermit} for it; without one the attempt is not sent, nor retried.
     */
    private void takePermit() {
        UpstreamBudget.Priority priority = UpstreamBudget.Priority.current();
        if (!budget.tryAcquire(priority, settings.maxWaitForPermit())) {
            throw new NoPermit(priority, Thread.currentThread().isInterrupted());
        }
    }

    /**
     * Outermost: waits out the quiet the provider asked for when the wait fits in {@code
     * maxWaitForPermit}, else refuses at once, without a request and without a retry.
     */
    private <T> Supplier<T> honouringRetryAfter(String request, Supplier<T> next) {
        return () -> {
            long quietFor = quietUntilNanos.get() - System.nanoTime();
            if (quietFor > 0) {
                Duration left = Duration.ofNanos(quietFor);
                if (left.compareTo(settings.maxWaitForPermit()) > 0) {
                    throw new UpstreamException.RateLimited(
                            request, "the provider asked for no requests for another " + left, left);
                }
                sleep(left);
            }
            return next.get();
        };
    }

    /**
     * Around each attempt: notes how long the provider asked for quiet when it answers 429, at most
     * {@code maxRetryAfter}. Times are {@code System.nanoTime()} values, compared by difference.
     */
    private <T> Supplier<T> notingRetryAfter(Supplier<T> attempt) {
        return () -> {
            try {
                return attempt.get();
            } catch (UpstreamException.RateLimited limited) {
                limited.retryAfter().ifPresent(wait -> {
                    long until = System.nanoTime() + Durations.nanos(Durations.min(wait, settings.maxRetryAfter()));
                    quietUntilNanos.accumulateAndGet(until, (current, asked) -> asked - current > 0 ? asked : current);
                });
                throw limited;
            }
        };
    }

    private static void sleep(Duration wait) {
        try {
            Thread.sleep(Math.max(1, wait.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpstreamException.Unavailable("wait", "interrupted while waiting as the provider asked", e);
        }
    }

    /** Whether the provider has asked for quiet that has not ended yet. */
    boolean quiet() {
        return quietUntilNanos.get() - System.nanoTime() > 0;
    }

    /** Whether the circuit is letting requests through now. */
    boolean circuitClosed() {
        return circuitBreaker.getState() != CircuitBreaker.State.OPEN;
    }

    private boolean worthRetrying(Throwable failure) {
        if (failure instanceof UpstreamException.RateLimited limited) {
            return limited.retryAfter()
                    .map(wait -> wait.compareTo(settings.maxRetryWait()) <= 0)
                    .orElse(true);
        }
        return failure instanceof UpstreamException upstream && upstream.isRetryable();
    }

    /** The budget gave no permit: the attempt was not sent. Not an {@link UpstreamException}, so not retried. */
    private static final class NoPermit extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final UpstreamBudget.Priority priority;
        final boolean interrupted;

        NoPermit(UpstreamBudget.Priority priority, boolean interrupted) {
            super(null, null, false, false);
            this.priority = priority;
            this.interrupted = interrupted;
        }
    }

    /** As long as the provider said to wait; otherwise exponential backoff with full jitter. */
    private final class Backoff implements IntervalBiFunction<Object> {
        @Override
        public Long apply(Integer attempt, Either<Throwable, Object> outcome) {
            if (outcome.isLeft() && outcome.getLeft() instanceof UpstreamException.RateLimited limited) {
                if (limited.retryAfter().isPresent()) {
                    return Durations.min(limited.retryAfter().get(), settings.maxRetryWait())
                            .toMillis();
                }
            }
            long ceiling = settings.retryBackoff().toMillis() << Math.min(attempt - 1, 10);
            return ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
        }
    }
}
