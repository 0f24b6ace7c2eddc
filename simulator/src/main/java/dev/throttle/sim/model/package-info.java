/** Immutable descriptions of a simulation: server, latency, workloads, client groups. */
package dev.throttle.sim.model;
