package dev.throttle.core;

/** Developer tool: harness results for every named strategy (10 clients, Heroku scenario), not a test. */
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
