package dev.throttle.field;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.throttle.sim.strategy.StrategyRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 11's CI bound, so that a collapse of the default strategy cannot land again: through OkHttp (8 threads,
 * one client) against the real nginx {@code limit_req} (5 s) and express-rate-limit (draft-8 and legacy, 10 s:
 * one whole fixed window), the default strategy's goodput is at least 60 % of the server's limit and at most
 * 15 % of the answers are 429s.
 *
 * <p>Tagged {@code default-goodput} so that a run can leave it out ({@code -Dfield.excludedGroups=default-goodput});
 * CI runs it. The previous default ({@code PacingStrategy} under the Retry-After floor) fails it: 14 % of nginx's
 * limit with 26 % 429s and 34 % of express's with legacy headers (docs/strategy.md).
 */
@Tag("default-goodput")
class DefaultGoodputFieldTest {

  static final double MIN_GOODPUT_SHARE = 0.60;
  static final double MAX_429_SHARE = 0.15;

  @TempDir
  Path work;

  @ParameterizedTest
  @EnumSource(value = ServerKind.class, names = {"NGINX", "EXPRESS_DRAFT8", "EXPRESS_LEGACY"})
  void defaultStrategyUsesMostOfTheLimitWithFew429s(ServerKind kind) throws Exception {
    Prerequisites pre = RealServers.require(kind);
    Duration load = kind == ServerKind.NGINX ? Duration.ofSeconds(5) : ServerKind.EXPRESS_WINDOW;
    Cell c = FieldTest.runCell(kind, FieldClient.throttle(StrategyRegistry.DEFAULT_STRATEGY, 1), 8, load,
        Duration.ofSeconds(60), pre, work);
    String figures = String.format(Locale.ROOT, "%s: goodput %.2f r/s = %.0f %% of %.0f r/s, 429s %.0f %%",
        kind, c.goodput(), 100 * c.goodputShare(), kind.limitPerSecond(), 100 * c.share429());
    System.out.println("[default-goodput] " + figures);
    assertTrue(c.goodputShare() >= MIN_GOODPUT_SHARE, figures + " (need >= 60 %)");
    assertTrue(c.share429() <= MAX_429_SHARE, figures + " (need 429s <= 15 %)");
  }
}
