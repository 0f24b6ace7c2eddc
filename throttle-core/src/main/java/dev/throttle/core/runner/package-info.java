/**
 * Runners that do the waiting: {@link dev.throttle.core.runner.BlockingThrottleRunner} sleeps interruptibly on
 * the calling thread, {@link dev.throttle.core.runner.AsyncThrottleRunner} schedules on a
 * {@link java.util.concurrent.ScheduledExecutorService} and never parks a thread. A
 * {@link dev.throttle.core.runner.ResponseAdapter} tells a runner the status and headers of any response type.
 * The top layer of throttle-core; adapters (OkHttp, Resilience4j) build on it.
 */
package dev.throttle.core.runner;
