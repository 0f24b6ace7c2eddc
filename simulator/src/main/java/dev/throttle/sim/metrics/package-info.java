/** Metric definitions as pure functions, the per-run result, histograms, time series and confidence intervals. */
package dev.throttle.sim.metrics;
