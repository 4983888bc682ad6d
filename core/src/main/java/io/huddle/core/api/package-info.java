/**
 * What applications write against: {@link io.huddle.core.api.DataKind kinds} of data with their
 * {@link io.huddle.core.api.CachePolicy policies}, {@link io.huddle.core.api.Loader loaders} and what
 * they return, statistics and the exceptions a caller may see. Backends see these types too; this
 * package depends on no other package of Huddle but its internal helpers.
 */
package io.huddle.core.api;
