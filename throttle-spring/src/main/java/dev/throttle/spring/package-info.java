/**
 * Throttling for Spring's HTTP clients (Spring Framework 6.x, no Boot auto-configuration):
 * {@link dev.throttle.spring.ThrottlingClientHttpRequestInterceptor} for {@code RestClient} and
 * {@code RestTemplate} (waits on the calling thread) and {@link dev.throttle.spring.ThrottlingExchangeFilterFunction}
 * for {@code WebClient} (waits are Reactor timers; no thread blocks).
 */
package dev.throttle.spring;
