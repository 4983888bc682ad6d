/**
 * Helpers Huddle's own modules share (argument checks, once-per-burst logging, daemon threads). Not
 * an API: they may change in any release.
 */
package io.huddle.core.internal;
