package dev.throttle.bench;

import org.openjdk.jmh.annotations.Threads;

/** {@link LimiterBenchmark} on 1 thread. Run: {@code java -jar benchmarks/target/benchmarks.jar LimiterBenchmark1Thread -prof gc}. */
@Threads(1)
public class LimiterBenchmark1Thread extends LimiterBenchmark {}
