/**
 * The in-process implementations of the SPI: a map-backed port, single flight within one process and
 * a bus between engines of one process. The engine's defaults, and the reference the kits are
 * written against.
 */
package io.huddle.core.memory;
