/** The picocli command line: compare, simulate, scenarios, strategies, throughput. */
package dev.throttle.sim.cli;
