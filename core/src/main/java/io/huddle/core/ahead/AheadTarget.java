package io.huddle.core.ahead;

import io.huddle.core.api.AheadResult;

/**
 * What a {@link LoadAhead} loads ahead of users, by the application's key: usually a call of {@code
 * SharedCache.warm} or {@code SharedCache.prefetch} with the key's kind, id and loader. Called on
 * background threads with background priority ({@code UpstreamBudget.Priority.current()}), never on
 * a user's: it may block, for example to look up an id through the cache first.
 */
public interface AheadTarget<K> {
    /** Warms the key: loads it unless it is fresh beyond {@code refreshAhead} of its ttl. */
    AheadResult warm(K key, double refreshAhead);

    /** Prefetches the key: loads it unless it is fresh. */
    AheadResult prefetch(K key);
}
