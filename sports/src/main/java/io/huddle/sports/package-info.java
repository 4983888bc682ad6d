/**
 * The sports chatbot's domain on the cache: teams, rosters, players and season statistics, the
 * {@link io.huddle.sports.SportsDataPort} an upstream client implements, the name {@link
 * io.huddle.sports.PlayerResolver} and the {@link io.huddle.sports.SportsStatsService} a bot calls.
 */
package io.huddle.sports;
