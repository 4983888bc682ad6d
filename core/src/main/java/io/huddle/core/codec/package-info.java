/**
 * The entry codec: how an entry travels to a remote or disk tier, as a versioned JSON envelope that
 * a backend can decode or count as unreadable.
 */
package io.huddle.core.codec;
