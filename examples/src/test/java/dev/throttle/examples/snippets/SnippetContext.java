package dev.throttle.examples.snippets;

import dev.throttle.core.headers.RateLimitHeaderParser;
import dev.throttle.core.headers.RateLimitHeaders;
import dev.throttle.core.limiter.RateLimitResult;
import dev.throttle.core.policy.ThrottleEvent;
import dev.throttle.core.strategy.Strategies;
import dev.throttle.core.strategy.ThrottleStrategy;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.ScheduledExecutorService;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a documentation snippet may use without declaring it: every statement snippet is compiled as the body
 * of a method of a subclass of this class (see {@link DocSnippetsCompileTest}). The names below are the
 * free variables and helpers the docs use for "your client", "your request" and so on; a snippet's own
 * declarations (locals, or {@code // given:} fields) hide them. Never run, only compiled.
 */
public abstract class SnippetContext {

  /** An OkHttp client (a snippet about {@code java.net.http} declares {@code // given: HttpClient client;}). */
  protected OkHttpClient client;
  /** An OkHttp request. */
  protected Request request;
  /** Some strategy. */
  protected ThrottleStrategy strategy = Strategies.defaultStrategy();
  /** A scheduler for async runners. */
  protected ScheduledExecutorService scheduler;
  /** An SLF4J logger. */
  protected Logger log = LoggerFactory.getLogger(SnippetContext.class);
  /** Some metrics sink. */
  protected Metrics metrics;
  /** A limiter result (server side). */
  protected RateLimitResult result;
  /** An OkHttp response. */
  protected Response okHttpResponse;
  /** A server response whose headers can be set. */
  protected ServerResponse response;

  /** Some metrics sink. */
  public interface Metrics {
    /** Records an event. */
    void record(ThrottleEvent event);
  }

  /** A server response (Servlet-like). */
  public interface ServerResponse {
    /** Sets a header. */
    void setHeader(String name, String value);
  }

  /** Parses an OkHttp response's rate-limit headers. */
  protected static RateLimitHeaders parse(Response r) {
    return RateLimitHeaderParser.parseAll(r.headers()::values, System.currentTimeMillis());
  }

  /** Parses a JDK response's rate-limit headers. */
  protected static RateLimitHeaders parse(HttpResponse<?> r) {
    return RateLimitHeaderParser.parse(r.headers().map(), System.currentTimeMillis());
  }

  /** Sends a JDK request synchronously (unchecked). */
  protected HttpResponse<String> send(HttpRequest request) {
    throw new UnsupportedOperationException("compiled, never run");
  }

  /** Sends an OkHttp request synchronously (unchecked). */
  protected Response send(Request request) {
    throw new UnsupportedOperationException("compiled, never run");
  }

  /** Answers 429 with a Retry-After of {@code nanos}. */
  protected void respond429(long nanos) {
    throw new UnsupportedOperationException("compiled, never run");
  }
}
