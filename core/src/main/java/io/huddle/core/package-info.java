/**
 * The engine behind {@link io.huddle.core.SharedCache}, its only public type (with its builder).
 * Applications build one over a {@link io.huddle.core.spi.CachePort} and call it with the types of
 * {@link io.huddle.core.api}; everything else in this package is package-private, one job each:
 * {@code Reads} (get and getAll, the hit path), {@code Flights} (single flight, waiting, reclaiming
 * abandoned loads), {@code Loads} (loader runs with their deadlines), {@code Refresher} (background
 * refreshes), {@code Backend} (port access, failures logged once per burst), {@code BusListener}
 * (invalidations heard), {@code Kinds} and {@code KindState} (per-kind policy and statistics
 * counter), {@code EntryFactory} (jitter, entries), {@code FailSafeThrottle}, {@code Ahead} (warm
 * and prefetch loads), {@code PrefetchTracker} (prefetches used or unused) and {@code
 * EngineThreads}.
 */
package io.huddle.core;
