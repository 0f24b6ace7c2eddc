package dev.throttle.sim.scenario;

import dev.throttle.core.limiter.Rate;

import dev.throttle.sim.model.HeaderMode;
import dev.throttle.sim.model.Latency;

/**
 * Command-line overrides applied on top of a scenario's defaults; a null field keeps the scenario's value.
 *
 * @param clients total number of clients (split over the scenario's groups in proportion)
 * @param durationNanos run length
 * @param rate server rate
 * @param capacity server capacity
 * @param initialRemaining units available at the start
 * @param networkLatency one-way network latency
 * @param serviceLatency server service latency
 * @param share clients per strategy instance
 * @param headers header mode
 * @param timeBins chart bins
 */
public record ScenarioOptions(Integer clients, Long durationNanos, Rate rate, Long capacity, Long initialRemaining,
    Latency networkLatency, Latency serviceLatency, Integer share, HeaderMode headers, Integer timeBins) {

  /** No overrides. */
  public static final ScenarioOptions NONE =
      new ScenarioOptions(null, null, null, null, null, null, null, null, null, null);
}
