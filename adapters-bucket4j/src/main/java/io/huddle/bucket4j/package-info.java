/**
 * Upstream permits from a Bucket4j token bucket by core's permit rule: the one place that adapts a
 * bucket, in memory or in Redis, to {@link io.huddle.core.spi.PermitRule}.
 */
package io.huddle.bucket4j;
