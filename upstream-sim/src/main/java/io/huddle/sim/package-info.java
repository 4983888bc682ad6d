/**
 * The upstream simulator: an offline stand-in for the balldontlie NFL v1 API, in-process for tests
 * and demos ({@link io.huddle.sim.UpstreamSimulator}) or as its own process ({@link
 * io.huddle.sim.UpstreamSimulatorMain}). It serves the real 32 teams, a few real players on their
 * 2024 teams and seeded filler players with synthetic stats, and lets a test script rate limits,
 * latency and faults and count the calls it received ({@link io.huddle.sim.UpstreamCalls}). Only the
 * JDK's HTTP server and Jackson are used.
 */
package io.huddle.sim;
