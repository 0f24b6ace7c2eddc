package dev.throttle.bench;

import org.openjdk.jmh.annotations.Threads;

/**
 * {@link LimiterBenchmark} on 2 threads sharing one limiter. Run:
 * {@code java -jar benchmarks/target/benchmarks.jar LimiterBenchmark2Threads -prof gc}.
 */
@Threads(2)
public class LimiterBenchmark2Threads extends LimiterBenchmark {}
