/**
 * Measurements of Huddle against its performance targets, as one runnable jar ({@code java -jar
 * benchmarks/target/huddle-benchmarks.jar}, see {@link io.huddle.benchmarks.BenchmarkMain}): JMH
 * benchmarks of a fresh hit through the engine against the raw library it sits on (Caffeine, and a
 * Jedis GET of the same bytes on Redis), reported as ratios measured in one run, and a plain stampede
 * harness counting loader calls when many users ask for one cold key at once, and the fleet: several
 * server processes ({@link io.huddle.benchmarks.FleetWorker}) on one Redis, whose users ask cold
 * keys at one instant (see {@link io.huddle.benchmarks.Fleet}); and the fault run: server processes
 * of the chatbot ({@link io.huddle.benchmarks.FaultsWorker}) against the simulated provider while
 * their Redis is killed and restarted and the provider fails (see {@link io.huddle.benchmarks.Faults}).
 * Numbers are printed, never asserted: the tests check only that the benchmarks exist, that single
 * flight holds, and the runs' protocols and arithmetic.
 */
package io.huddle.benchmarks;
