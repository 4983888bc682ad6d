/**
 * Work ahead of users, generic over an application's keys: {@link io.huddle.core.ahead.LoadAhead}
 * warms popular and most requested keys (refresh-ahead) and prefetches the keys users are likely to
 * ask next, through an {@link io.huddle.core.ahead.AheadTarget} that calls the engine's {@code warm}
 * and {@code prefetch}; {@link io.huddle.core.ahead.TopKeys} is the bounded sketch of the most
 * requested keys of a recent window, {@link io.huddle.core.ahead.RelatedKeys} the bounded, fading
 * relation learnt from sessions and pairs over a seed. Everything here runs at background priority
 * on the injected clock.
 */
package io.huddle.core.ahead;
