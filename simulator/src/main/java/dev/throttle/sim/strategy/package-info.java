/** The registry of core strategies the simulator scores, each built from the core builders. */
package dev.throttle.sim.strategy;
