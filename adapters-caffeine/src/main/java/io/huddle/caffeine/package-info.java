/**
 * The Caffeine adapter: {@link io.huddle.caffeine.CaffeineCachePort}, the in-process tier that
 * keeps entries as objects, bounded in size, each expiring by its own keep-for duration.
 */
package io.huddle.caffeine;
