/**
 * The Ehcache adapter: {@link io.huddle.ehcache.EhcacheCachePort}, the single-server tier with heap,
 * off-heap and persistent disk storage, whose entries (encoded by the core's entry codec) survive a
 * restart with the time they had left.
 */
package io.huddle.ehcache;
