package dev.throttle.core.runner;

import dev.throttle.core.headers.RateLimitHeaders;

import java.util.concurrent.atomic.AtomicInteger;

/** Test-only response: a status, optional Retry-After, and a count of how often it was discarded. */
final class TestResponse {

  static final ResponseAdapter<TestResponse> ADAPTER =
      ResponseAdapter.of(TestResponse::status, TestResponse::headers, TestResponse::discard);

  private final int status;
  private final RateLimitHeaders headers;
  final AtomicInteger discarded = new AtomicInteger();

  TestResponse(int status, RateLimitHeaders headers) {
    this.status = status;
    this.headers = headers;
  }

  static TestResponse of(int status) {
    return new TestResponse(status, RateLimitHeaders.EMPTY);
  }

  static TestResponse retryAfter(int status, long retryAfterNanos) {
    return new TestResponse(status, RateLimitHeaders.builder().retryAfterNanos(retryAfterNanos).build());
  }

  int status() {
    return status;
  }

  RateLimitHeaders headers() {
    return headers;
  }

  void discard() {
    discarded.incrementAndGet();
  }

  @Override
  public String toString() {
    return "TestResponse[" + status + "]";
  }
}
