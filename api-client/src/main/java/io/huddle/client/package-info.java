/**
 * The HTTP client for the balldontlie NFL v1 API: {@link io.huddle.client.BalldontlieClient}, a
 * {@code SportsDataPort} on {@code java.net.http} with Jackson, guarded by Resilience4j (rate
 * limiter, retry honouring a capped {@code Retry-After}, circuit breaker, bulkhead), with one
 * deadline over each whole exchange and a cap on body size. Statuses, deadlines and unreadable
 * answers become typed {@code UpstreamException}s in one place; Resilience4j types stay inside this
 * package, and the API key stays in the {@code Authorization} header.
 */
package io.huddle.client;
