/**
 * Server models: the algorithms a simulated server decides with ({@link dev.throttle.sim.server.ServerModel},
 * registered by kind in {@link dev.throttle.sim.server.ServerModels}), and the header dialects they answer in
 * ({@link dev.throttle.sim.server.HeaderDialects}), written as real header strings that clients read through the
 * core {@code RateLimitHeaderParser}. GCRA is the core {@code GcraLimiter}; the other algorithms exist only here.
 */
package dev.throttle.sim.server;
