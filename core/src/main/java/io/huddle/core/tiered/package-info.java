/**
 * The near cache: a {@link io.huddle.core.tiered.TieredCachePort} keeps a local tier in front of a
 * shared remote one, with local copies that are a fail-safe when the remote tier or its messages are
 * lost.
 */
package io.huddle.core.tiered;
