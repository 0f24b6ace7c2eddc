package dev.throttle.core;

/**
 * Developer tool, not a test: prints {@link MiniGcraHarness} results for every named strategy in Heroku's
 * scenario, plus the time to clear a banked 4500 on a server that never refills. Run after
 * {@code mvn -pl throttle-core test-compile}:
 * {@code java -cp throttle-core/target/classes:throttle-core/target/test-classes dev.throttle.core.HarnessProbe 10 [shared]}
 * ({@code shared}: Heroku's own layout, 2 instances each shared by half the clients).
 */
final class HarnessProbe {
  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    boolean shared = args.length > 1 && args[1].equals("shared"); // 2 instances x n/2 threads
    for (String name : Strategies.names()) {
      ThrottleStrategy[] group = new ThrottleStrategy[2];
      MiniGcraHarness.Result r = MiniGcraHarness.heroku(n, i -> {
        if (!shared) {
          return Strategies.named(name, i);
        }
        int g = i % 2;
        if (group[g] == null) {
          group[g] = Strategies.named(name, g);
        }
        return group[g];
      });
      System.out.printf("%-52s %s clear=%.1fs%n", name, r, MiniGcraHarness.timeToClear(n, i -> Strategies.named(name, i)));
    }
  }
}
