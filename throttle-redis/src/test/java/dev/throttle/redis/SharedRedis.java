package dev.throttle.redis;

import dev.throttle.testing.RedisServerProcess;
import java.time.Duration;

/**
 * One redis-server and one connection for the test classes of this module that do not restart Redis: started
 * on first use, stopped by pid at JVM exit (surefire runs the module's tests in one JVM).
 */
final class SharedRedis {

  private static RedisServerProcess server;
  private static RedisConnection connection;

  private SharedRedis() {}

  static synchronized RedisServerProcess server() {
    if (server == null) {
      server = RedisServerProcess.start();
      RedisServerProcess s = server;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        RedisConnection c = connection;
        if (c != null) {
          c.close();
        }
        s.stop();
      }));
    }
    return server;
  }

  static synchronized RedisConnection connection() {
    if (connection == null) {
      connection = RedisConnection.open(server().uri(), Duration.ofSeconds(5));
    }
    return connection;
  }
}
