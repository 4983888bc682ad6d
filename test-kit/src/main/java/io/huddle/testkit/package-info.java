/**
 * Contract kits: a backend's test extends the kit of the port it implements and passes if the
 * backend keeps the port's contract. {@link io.huddle.testkit.ManualClock} moves time only when told; {@link
 * io.huddle.testkit.Eventually} waits for another thread's work.
 */
package io.huddle.testkit;
