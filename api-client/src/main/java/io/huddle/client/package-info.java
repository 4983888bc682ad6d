/**
 * The HTTP client for the balldontlie NFL v1 API: {@link io.huddle.client.BalldontlieClient}, a
 * {@code SportsDataPort} on {@code java.net.http} with Jackson. Every attempt takes a permit from an
 * {@code UpstreamBudget} (one shared by the fleet, or by default a Bucket4j bucket in this process),
 * under Resilience4j (retry honouring {@code Retry-After}, circuit breaker, bulkhead). Statuses
 * become typed {@code UpstreamException}s in one place; Resilience4j and Bucket4j types stay inside
 * this package.
 */
package io.huddle.client;
