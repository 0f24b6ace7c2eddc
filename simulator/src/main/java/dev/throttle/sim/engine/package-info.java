/** The discrete-event engine: virtual clock, event heap, and the simulated server and clients around the core limiter and strategies. */
package dev.throttle.sim.engine;
