package dev.throttle.core.policy;

/**
 * A client-wide limit on retries, in the style of gRPC retry throttling (gRFC A6): a bucket of tokens that
 * starts full at {@code maxTokens}; every retry-worthy failure takes 1 token, every successful response
 * (status below 400) gives back {@code tokenRatio} tokens (never above {@code maxTokens}); a retry is allowed
 * only while, after taking the failure's token, more than {@code maxTokens / 2} tokens remain. When the budget
 * refuses, the call gives up at once with {@link ThrottleGiveUpException.Reason#RETRY_BUDGET}: it never
 * blocks.
 *
 * <p>This class is only the configuration. Each {@link ThrottlePolicy} built with it (and each policy derived
 * with {@link ThrottlePolicy#withStrategy}) keeps its own token count, so a budget is per client / per key.
 * Tokens are counted as integer thousandths (like grpc-java), so {@code tokenRatio} is rounded to 3 decimals.
 *
 * <p>Immutable and thread-safe.
 */
public final class RetryBudget {

  /** The largest {@code maxTokens} accepted. */
  public static final int MAX_TOKENS = 1_000_000;

  private final int maxTokens;
  private final long tokenRatioMilli;

  private RetryBudget(int maxTokens, long tokenRatioMilli) {
    this.maxTokens = maxTokens;
    this.tokenRatioMilli = tokenRatioMilli;
  }

  /**
   * Returns a budget of {@code maxTokens} tokens refilled by {@code tokenRatio} per success (gRPC's example:
   * {@code of(10, 0.1)}: after 5 failures in a row retries stop until successes refill it).
   *
   * @param maxTokens the bucket size, in {@code [1, 1_000_000]}
   * @param tokenRatio tokens returned per success, in {@code [0.001, maxTokens]}; rounded to 3 decimals
   * @return a budget of {@code maxTokens} tokens refilled by {@code tokenRatio} per success
   * @throws IllegalArgumentException if either argument is out of range or not finite
   */
  public static RetryBudget of(int maxTokens, double tokenRatio) {
    if (maxTokens < 1 || maxTokens > MAX_TOKENS) {
      throw new IllegalArgumentException("maxTokens must be in [1, " + MAX_TOKENS + "], was " + maxTokens);
    }
    if (!Double.isFinite(tokenRatio) || tokenRatio < 0.001 || tokenRatio > maxTokens) {
      throw new IllegalArgumentException("tokenRatio must be in [0.001, maxTokens], was " + tokenRatio);
    }
    return new RetryBudget(maxTokens, Math.round(tokenRatio * 1000));
  }

  /**
   * Returns the bucket size in tokens.
   * @return the bucket size in tokens
   */
  public int maxTokens() {
    return maxTokens;
  }

  /**
   * Returns the tokens returned per success (rounded to 3 decimals).
   * @return the tokens returned per success (rounded to 3 decimals)
   */
  public double tokenRatio() {
    return tokenRatioMilli / 1000.0;
  }

  long tokenRatioMilli() {
    return tokenRatioMilli;
  }

  /** Returns a fresh, full token bucket for one policy. */
  RetryBudgetState newState() {
    return new RetryBudgetState(maxTokens * 1000L, tokenRatioMilli);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RetryBudget b && b.maxTokens == maxTokens && b.tokenRatioMilli == tokenRatioMilli;
  }

  @Override
  public int hashCode() {
    return maxTokens * 31 + Long.hashCode(tokenRatioMilli);
  }

  @Override
  public String toString() {
    return "RetryBudget[maxTokens=" + maxTokens + ", tokenRatio=" + tokenRatio() + "]";
  }
}
