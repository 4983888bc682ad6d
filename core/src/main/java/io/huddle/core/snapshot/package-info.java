/**
 * Backup and recovery for any backend: {@link io.huddle.core.snapshot.CacheSnapshots} writes a port's
 * entries, with their own written-at, fresh-until and stale-until instants, to a gzip-compressed
 * JSON-lines file through the entry codec, replaced atomically, and restores a file into a port
 * without ever replacing a newer entry, after checking the whole file first;
 * {@link io.huddle.core.snapshot.SnapshotSchedule} writes one every so often and once more on close.
 */
package io.huddle.core.snapshot;
