/**
 * What backends implement: a {@link io.huddle.core.spi.CachePort} stores entries, a {@link
 * io.huddle.core.spi.LoadCoordinator} makes one load per key, an {@link
 * io.huddle.core.spi.InvalidationBus} carries changes between servers and an {@link
 * io.huddle.core.spi.UpstreamBudget} hands out upstream permits. Each has an in-process
 * implementation in {@link io.huddle.core.memory} and a contract kit in the module
 * {@code huddle-test-kit} that every implementation must pass.
 */
package io.huddle.core.spi;
