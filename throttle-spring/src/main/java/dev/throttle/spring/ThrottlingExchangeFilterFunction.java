package dev.throttle.spring;

import dev.throttle.core.headers.RateLimitHeaderParser;
import dev.throttle.core.policy.AttemptVerdict;
import dev.throttle.core.policy.GiveUpAction;
import dev.throttle.core.policy.ThrottleGiveUpException;
import dev.throttle.core.policy.ThrottlePolicy;
import dev.throttle.core.policy.ThrottledCall;
import dev.throttle.core.runner.RunnerBuilder;
import dev.throttle.core.time.NanoClock;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * A WebClient {@link ExchangeFilterFunction} that runs every exchange under a {@link ThrottlePolicy}, without
 * ever blocking a thread: waits before an attempt (pacing from rate-limit headers, {@code Retry-After} after a
 * 429 or 503) are {@link Mono#delay(Duration, Scheduler) Mono.delay} timers, and a retried exchange is
 * subscribed again after its response body is released.
 *
 * <pre>{@code
 * WebClient client = WebClient.builder()
 *     .filter(ThrottlingExchangeFilterFunction.builder(policy).build())
 *     .build();
 * }</pre>
 *
 * <p>Each subscription to the exchange is one logical call ({@link ThrottlePolicy#newCall}); cancelling it
 * cancels a pending wait. Register it as the innermost filter that must see each attempt: filters added
 * after it run on every attempt, those before it once.
 *
 * <p>On give-up the last response (the 429 or 503) is emitted (default), or, with
 * {@code onGiveUp(GiveUpAction.THROW)}, its body is released and the {@code Mono} fails with the unchecked
 * {@link ThrottleGiveUpException}. Errors of the exchange itself are not retried; they pass through unchanged.
 * Time is read from the builder's {@code clock} (the strategy's view) while timers run on the builder's
 * {@link Builder#scheduler scheduler}. All exchanges share the policy. Immutable and thread-safe.
 */
public final class ThrottlingExchangeFilterFunction implements ExchangeFilterFunction {

  private final ThrottlePolicy policy;
  private final NanoClock clock;
  private final GiveUpAction onGiveUp;
  private final Scheduler scheduler;
  private final Clock wallClock;

  private ThrottlingExchangeFilterFunction(Builder b) {
    this.policy = b.policy();
    this.clock = b.clock();
    this.onGiveUp = b.onGiveUp();
    this.scheduler = b.scheduler;
    this.wallClock = b.wallClock;
  }

  /**
   * Returns a builder for a filter that runs exchanges under {@code policy}.
   *
   * @param policy the policy
   * @return a builder
   * @throws NullPointerException if {@code policy} is null
   */
  public static Builder builder(ThrottlePolicy policy) {
    return new Builder(policy);
  }

  /**
   * Returns the policy every exchange runs under.
   *
   * @return the policy
   */
  public ThrottlePolicy policy() {
    return policy;
  }

  @Override
  public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
    return Mono.defer(() -> attempt(policy.newCall(clock.nanoTime()), request, next));
  }

  private Mono<ClientResponse> attempt(ThrottledCall call, ClientRequest request, ExchangeFunction next) {
    long delay = call.delayNanos(clock.nanoTime());
    Mono<ClientResponse> send = Mono.defer(() -> next.exchange(request));
    Mono<ClientResponse> sent = delay > 0 ? Mono.delay(Duration.ofNanos(delay), scheduler).then(send) : send;
    return sent.flatMap(response -> {
      AttemptVerdict verdict = call.onResponse(response.statusCode().value(),
          RateLimitHeaderParser.parseAll(response.headers().asHttpHeaders()::get, wallClock.millis()),
          clock.nanoTime());
      return switch (verdict) {
        case DONE -> Mono.just(response);
        case RETRY -> response.releaseBody().then(Mono.defer(() -> attempt(call, request, next)));
        case GIVE_UP -> giveUp(response, call.giveUp());
      };
    });
  }

  private Mono<ClientResponse> giveUp(ClientResponse last, ThrottleGiveUpException failure) {
    ClientResponse[] discarded = new ClientResponse[1];
    try {
      return Mono.just(onGiveUp.apply(last, r -> discarded[0] = r, failure));
    } catch (ThrottleGiveUpException e) {
      Mono<ClientResponse> error = Mono.error(e);
      return discarded[0] == null ? error : discarded[0].releaseBody().then(error);
    }
  }

  /**
   * Builds a {@link ThrottlingExchangeFilterFunction}: the shared runner settings ({@code clock},
   * {@code onGiveUp}) plus the Reactor {@link #scheduler scheduler} of the wait timers and the
   * {@link #wallClock wall clock} that turns HTTP dates into delays. No sleeper: nothing waits on a thread.
   * Not thread-safe.
   */
  public static final class Builder extends RunnerBuilder<Builder> {

    private Scheduler scheduler = Schedulers.parallel();
    private Clock wallClock = Clock.systemUTC();

    private Builder(ThrottlePolicy policy) {
      super(policy);
    }

    /**
     * Sets the Reactor scheduler the wait timers run on; default {@link Schedulers#parallel()}.
     *
     * @param scheduler the timer scheduler
     * @return this builder
     * @throws NullPointerException if {@code scheduler} is null
     */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * Sets the wall clock against which {@code Retry-After} dates and epoch resets are read; default UTC
     * system clock.
     *
     * @param wallClock the wall clock
     * @return this builder
     * @throws NullPointerException if {@code wallClock} is null
     */
    public Builder wallClock(Clock wallClock) {
      this.wallClock = Objects.requireNonNull(wallClock, "wallClock");
      return this;
    }

    /**
     * Returns a new filter with these settings.
     *
     * @return a new filter
     */
    public ThrottlingExchangeFilterFunction build() {
      return new ThrottlingExchangeFilterFunction(this);
    }
  }
}
