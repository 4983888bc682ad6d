/**
 * The shared-cache engine, usable for any upstream. Applications call {@link
 * io.huddle.core.cache.SharedCache}; backends implement the small {@link
 * io.huddle.core.cache.CachePort} SPI and prove it with the contract kit in core's test-jar. Each
 * {@link io.huddle.core.cache.DataKind} has a {@link io.huddle.core.cache.CachePolicy}; single flight
 * goes through a {@link io.huddle.core.cache.LoadCoordinator} and cross-server invalidation through
 * an {@link io.huddle.core.cache.InvalidationBus}, both with in-process implementations here and
 * distributed ones in the Redis adapter. Nothing in this package depends on a backend library.
 */
package io.huddle.core.cache;
