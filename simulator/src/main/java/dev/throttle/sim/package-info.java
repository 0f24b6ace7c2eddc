/**
 * Discrete-event simulator scoring client throttling strategies against the core GCRA limiter in virtual time;
 * {@link dev.throttle.sim.Experiment} runs replications, {@link dev.throttle.sim.cli.Main} is the command line.
 */
package dev.throttle.sim;
