/**
 * The sports domain built on the cache engine: the kinds of sports data and their policies. The
 * domain records, the upstream port and the services a bot calls grow here.
 */
package io.huddle.core.sports;
