/**
 * Micrometer meters of Huddle: {@link io.huddle.micrometer.SharedCacheMetrics} (a {@code
 * MeterBinder} over a cache's statistics snapshots), {@link io.huddle.micrometer.MicrometerStatsCounter}
 * (the load-time timer, which needs the events) and {@link
 * io.huddle.micrometer.UpstreamBudgetMetrics} (a {@code MeterBinder} over an upstream budget). The
 * binders read the engine's own counters when the registry asks, so nothing is counted twice and the
 * hit path costs nothing more; a read that fails leaves counters at their last values and gauges at
 * {@code NaN}, and never fails a scrape.
 *
 * <p>One call sequence gives every meter below, each registered once:
 *
 * <pre>{@code
 * MeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
 * SharedCache cache = SharedCache.builder(port)
 *         .statsCounterPerKind(MicrometerStatsCounter.perKind(registry, "sports"))
 *         .build();
 * SharedCacheMetrics.builder(cache, "sports").kinds(kinds).build().bindTo(registry);
 * new UpstreamBudgetMetrics(budget, "balldontlie").bindTo(registry);
 * }</pre>
 *
 * <p>The meters (Prometheus adds {@code _total} to counters and {@code _seconds} to times, and
 * writes dots as underscores); every meter also carries the application's tags given to its binder:
 *
 * <table>
 *   <caption>Huddle's meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th><th>what it counts</th></tr>
 *   <tr><td>{@code huddle.cache.requests}</td><td>function counter</td>
 *       <td>{@code cache}, {@code kind}, {@code result=hit|negative_hit|stale|coalesced|miss}</td>
 *       <td>requests that ended, by outcome ({@code CacheStatistics.hits()} ... {@code misses()})</td></tr>
 *   <tr><td>{@code huddle.cache.loads}</td><td>function counter</td><td>{@code cache}, {@code kind}</td>
 *       <td>loader calls started</td></tr>
 *   <tr><td>{@code huddle.cache.load.failures}</td><td>function counter</td><td>{@code cache}, {@code kind}</td>
 *       <td>loader calls that threw or returned nothing</td></tr>
 *   <tr><td>{@code huddle.cache.loads.abandoned}</td><td>function counter</td><td>{@code cache}, {@code kind}</td>
 *       <td>loads past the policy's maximum load time</td></tr>
 *   <tr><td>{@code huddle.cache.load.duration}</td><td>timer, percentiles 0.5, 0.95, 0.99 (from
 *       {@code MicrometerStatsCounter})</td>
 *       <td>{@code cache}, {@code kind}, {@code result=success|failure}</td>
 *       <td>the time of each loader call, in seconds</td></tr>
 *   <tr><td>{@code huddle.cache.upstream.calls}</td><td>function counter</td><td>{@code cache}, {@code kind}</td>
 *       <td>upstream calls made by loads that succeeded</td></tr>
 *   <tr><td>{@code huddle.cache.upstream.calls.saved}</td><td>function counter</td>
 *       <td>{@code cache}, {@code kind}</td>
 *       <td>upstream calls the answers without a load of their own would have cost</td></tr>
 *   <tr><td>{@code huddle.cache.entries}</td><td>gauge</td><td>{@code cache}, {@code kind}</td>
 *       <td>entries the backend holds (0 if it cannot count them)</td></tr>
 *   <tr><td>{@code huddle.cache.evictions}</td><td>function counter</td><td>{@code cache}, {@code kind}</td>
 *       <td>entries the backend removed for size or expiry</td></tr>
 *   <tr><td>{@code huddle.cache.unreadable}</td><td>function counter</td><td>{@code cache}, {@code kind}</td>
 *       <td>reads that found an entry the backend could not decode</td></tr>
 *   <tr><td>{@code huddle.cache.backend.errors}</td><td>function counter</td><td>{@code cache}, {@code kind}</td>
 *       <td>backend calls that failed</td></tr>
 *   <tr><td>{@code huddle.cache.failsafe.throttled}</td><td>function counter</td>
 *       <td>{@code cache}, {@code kind}</td><td>requests served stale without a new attempt</td></tr>
 *   <tr><td>{@code huddle.cache.refreshes.skipped}</td><td>function counter</td>
 *       <td>{@code cache}, {@code kind}</td><td>background refreshes skipped, the executor full</td></tr>
 *   <tr><td>{@code huddle.cache.warm.loads}</td><td>function counter</td><td>{@code cache}, {@code kind}</td>
 *       <td>loads ahead of users run by warming (the loader returned)</td></tr>
 *   <tr><td>{@code huddle.cache.prefetches}</td><td>function counter</td>
 *       <td>{@code cache}, {@code kind}, {@code result=started|used|unused}</td>
 *       <td>prefetches started, and later used or never used</td></tr>
 *   <tr><td>{@code huddle.cache.ahead.skipped}</td><td>function counter</td>
 *       <td>{@code cache}, {@code kind}, {@code result=executor_full|switched_off}</td>
 *       <td>warm loads and prefetches not started</td></tr>
 *   <tr><td>{@code huddle.cache.background.skipped.budget}</td><td>function counter</td>
 *       <td>{@code cache}, {@code kind}</td><td>background loads the budget refused a permit</td></tr>
 *   <tr><td>{@code huddle.coordinator.leases.taken}</td><td>function counter</td><td>{@code cache}</td>
 *       <td>loads led holding the shared lease</td></tr>
 *   <tr><td>{@code huddle.coordinator.leases.lost}</td><td>function counter</td><td>{@code cache}</td>
 *       <td>leases no longer held when their load ended</td></tr>
 *   <tr><td>{@code huddle.coordinator.remote.waits}</td><td>function counter</td><td>{@code cache}</td>
 *       <td>loads waited for while another server held the lease</td></tr>
 *   <tr><td>{@code huddle.coordinator.holders.lost}</td><td>function counter</td><td>{@code cache}</td>
 *       <td>waits ended by the holder's lease expiring without a value</td></tr>
 *   <tr><td>{@code huddle.coordinator.fallbacks}</td><td>function counter</td><td>{@code cache}</td>
 *       <td>claims decided in this process alone, the shared store unreachable</td></tr>
 *   <tr><td>{@code huddle.bus.sent}</td><td>function counter</td><td>{@code cache}</td>
 *       <td>invalidations sent to other servers</td></tr>
 *   <tr><td>{@code huddle.bus.send.failures}</td><td>function counter</td><td>{@code cache}</td>
 *       <td>invalidations that could not be sent</td></tr>
 *   <tr><td>{@code huddle.bus.received}</td><td>function counter</td><td>{@code cache}</td>
 *       <td>invalidations received from other servers</td></tr>
 *   <tr><td>{@code huddle.bus.losses}</td><td>function counter</td><td>{@code cache}</td>
 *       <td>losses detected (messages missing or unreadable)</td></tr>
 *   <tr><td>{@code huddle.bus.unreadable}</td><td>function counter</td><td>{@code cache}</td>
 *       <td>messages that could not be read</td></tr>
 *   <tr><td>{@code huddle.budget.permits}</td><td>function counter</td>
 *       <td>{@code budget}, {@code priority=user|background}</td><td>permits taken</td></tr>
 *   <tr><td>{@code huddle.budget.refused}</td><td>function counter</td><td>{@code budget}</td>
 *       <td>requests that got no permit and were not sent</td></tr>
 *   <tr><td>{@code huddle.budget.fallback.permits}</td><td>function counter</td><td>{@code budget}</td>
 *       <td>permits taken from this server's share, the shared budget unreachable</td></tr>
 *   <tr><td>{@code huddle.budget.plan.requests}</td><td>gauge</td><td>{@code budget}</td>
 *       <td>the plan's limit per period</td></tr>
 *   <tr><td>{@code huddle.budget.plan.period}</td><td>time gauge</td><td>{@code budget}</td>
 *       <td>the plan's period, in seconds</td></tr>
 *   <tr><td>{@code huddle.snapshot.age}</td><td>time gauge</td><td>(none)</td>
 *       <td>time since the last snapshot was written ({@link io.huddle.micrometer.SnapshotMetrics})</td></tr>
 *   <tr><td>{@code huddle.snapshot.entries}</td><td>gauge</td><td>(none)</td>
 *       <td>entries in the last snapshot</td></tr>
 *   <tr><td>{@code huddle.snapshot.writes}</td><td>function counter</td><td>(none)</td>
 *       <td>snapshots written</td></tr>
 *   <tr><td>{@code huddle.snapshot.failures}</td><td>function counter</td><td>(none)</td>
 *       <td>snapshot writes that failed</td></tr>
 * </table>
 */
package io.huddle.micrometer;
