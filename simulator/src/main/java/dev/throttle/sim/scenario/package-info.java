/** The named scenarios and the command-line overrides applied to them. */
package dev.throttle.sim.scenario;
