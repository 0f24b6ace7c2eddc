package dev.throttle.core;

import java.time.Duration;

/** Developer tool: prints harness results for PacingStrategy with builder settings given as key=value. */
final class PacingProbe {
  public static void main(String[] args) {
    for (int n : new int[] {1, 3, 10, 30}) {
      PacingStrategy[] ss = new PacingStrategy[n];
      if (System.getenv("TRACE") != null && n == Integer.parseInt(System.getenv("TRACE"))) {
        MiniGcraHarness.minuteHook = m -> {
          StringBuilder sb = new StringBuilder("  m" + m + ":");
          for (PacingStrategy x : ss) sb.append(' ').append(Math.round(x.intervalNanos() / 1e8) / 10.0);
          System.out.println(sb);
        };
      } else {
        MiniGcraHarness.minuteHook = m -> { };
      }
      MiniGcraHarness.Result r = MiniGcraHarness.heroku(n, i -> ss[i] = builder(args).seed(i).build());
      System.out.println("N=" + n + " " + r);
      if (System.getenv("MIN") != null) {
        System.out.println("   429/min " + java.util.Arrays.toString(java.util.Arrays.copyOf(r.limitedPerMinute, 30)));
      }
    }
  }

  static PacingStrategy.Builder builder(String[] args) {
    PacingStrategy.Builder b = PacingStrategy.builder();
    for (String a : args) {
      String[] kv = a.split("=");
      double v = Double.parseDouble(kv[1]);
      switch (kv[0]) {
        case "beta" -> b.throttleDecrease(v);
        case "low" -> b.lowDecrease(v);
        case "zero" -> b.emptyDecrease(v);
        case "target" -> b.bankTarget((long) v);
        case "a" -> b.increase(v);
        case "h" -> b.spendHorizon(Duration.ofSeconds((long) v));
        case "j" -> b.jitter(v);
        case "init" -> b.initialShare(v);
        case "max" -> b.maxInterval(Duration.ofSeconds((long) v));
        default -> throw new IllegalArgumentException(a);
      }
    }
    return b;
  }
}
