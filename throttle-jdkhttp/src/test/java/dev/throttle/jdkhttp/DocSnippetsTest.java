package dev.throttle.jdkhttp;

import dev.throttle.testing.ScriptedServer;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.throttle.core.policy.ThrottlePolicy;
import dev.throttle.core.strategy.Strategies;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Compiles and runs the snippet of docs/adapters.md, section "java.net.http.HttpClient". */
class DocSnippetsTest {

  @Test
  void jdkHttpClientSnippet() throws Exception {
    try (ScriptedServer server = new ScriptedServer()) {
      long seed = ProcessHandle.current().pid();
      HttpRequest request = HttpRequest.newBuilder(server.uri("/")).build();

      // --- docs/adapters.md: java.net.http.HttpClient ---
      HttpClient client = ThrottlingHttpClient
          .builder(HttpClient.newHttpClient(), ThrottlePolicy.of(Strategies.defaultStrategy(seed)))
          .build();
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      CompletableFuture<HttpResponse<String>> later = client.sendAsync(request, HttpResponse.BodyHandlers.ofString());
      // --- end ---

      assertEquals(200, response.statusCode());
      assertEquals(200, later.get(30, TimeUnit.SECONDS).statusCode());
      assertEquals(2, server.count("/"));
    }
  }
}
