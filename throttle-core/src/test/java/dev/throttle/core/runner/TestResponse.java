package dev.throttle.core.runner;

import dev.throttle.core.headers.RateLimitInfo;

import java.util.concurrent.atomic.AtomicInteger;

/** Test-only response: a status, optional Retry-After, and a count of how often it was discarded. */
final class TestResponse {

  static final ResponseAdapter<TestResponse> ADAPTER =
      ResponseAdapter.of(TestResponse::status, TestResponse::headers, TestResponse::discard);

  private final int status;
  private final RateLimitInfo headers;
  final AtomicInteger discarded = new AtomicInteger();

  TestResponse(int status, RateLimitInfo headers) {
    this.status = status;
    this.headers = headers;
  }

  static TestResponse of(int status) {
    return new TestResponse(status, RateLimitInfo.EMPTY);
  }

  static TestResponse retryAfter(int status, long retryAfterNanos) {
    return new TestResponse(status, RateLimitInfo.builder().retryAfterNanos(retryAfterNanos).build());
  }

  int status() {
    return status;
  }

  RateLimitInfo headers() {
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
