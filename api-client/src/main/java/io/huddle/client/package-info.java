/**
 * The HTTP client for the balldontlie NFL v1 API: {@link io.huddle.client.BalldontlieClient}, a
 * {@code SportsDataPort} on {@code java.net.http} with Jackson. Every attempt takes a permit from an
 * {@code UpstreamBudget} (one shared by the fleet, or by default a Bucket4j bucket in this process),
 * under Resilience4j (retry honouring a capped {@code Retry-After}, circuit breaker, bulkhead), with
 * one deadline over each whole exchange and a cap on body size. Statuses, deadlines and unreadable
 * answers become typed {@code UpstreamException}s in one place; Resilience4j and Bucket4j types stay
 * inside this package, and the API key stays in the {@code Authorization} header. {@link
 * io.huddle.client.ClientMetrics} binds the guards' Micrometer meters with Resilience4j's own
 * binders (optional dependencies).
 */
package io.huddle.client;
