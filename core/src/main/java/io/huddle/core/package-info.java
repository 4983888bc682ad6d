/**
 * The engine behind {@link io.huddle.core.SharedCache}, its only public type. Applications build one
 * over a {@link io.huddle.core.spi.CachePort} and call it with the types of {@link
 * io.huddle.core.api}; everything else in this package (the hit path, flights and waiting, refresh
 * scheduling, the statistics counter, backend access) is package-private.
 */
package io.huddle.core;
