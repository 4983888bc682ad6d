/**
 * The HTTP client for the balldontlie NFL v1 API: {@link io.huddle.client.BalldontlieClient}, a
 * {@code SportsDataPort} on {@code java.net.http} with Jackson, guarded by Resilience4j (rate
 * limiter, retry honouring {@code Retry-After}, circuit breaker, bulkhead). Statuses become typed
 * {@code UpstreamException}s in one place; Resilience4j types stay inside this package.
 */
package io.huddle.client;
