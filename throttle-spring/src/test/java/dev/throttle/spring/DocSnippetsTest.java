package dev.throttle.spring;

import dev.throttle.testing.ScriptedServer;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.throttle.core.policy.ThrottlePolicy;
import dev.throttle.core.strategy.Strategies;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.reactive.function.client.WebClient;

/** Compiles and runs the snippet of docs/adapters.md, section "Spring". */
class DocSnippetsTest {

  @Test
  void springSnippet() throws Exception {
    try (ScriptedServer server = new ScriptedServer()) {
      ThrottlePolicy policy = ThrottlePolicy.of(Strategies.defaultStrategy(ProcessHandle.current().pid()));

      // --- docs/adapters.md: Spring ---
      RestClient restClient = RestClient.builder()
          .requestInterceptor(ThrottlingClientHttpRequestInterceptor.builder(policy).build())
          .build();
      RestTemplate restTemplate = new RestTemplate();
      restTemplate.getInterceptors().add(ThrottlingClientHttpRequestInterceptor.builder(policy).build());
      WebClient webClient = WebClient.builder()
          .filter(ThrottlingExchangeFilterFunction.builder(policy).build())
          .build();
      // --- end ---

      assertEquals("200 /rc", restClient.get().uri(server.uri("/rc")).retrieve().body(String.class));
      assertEquals("200 /rt", restTemplate.getForObject(server.uri("/rt"), String.class));
      assertEquals("200 /wc", webClient.get().uri(server.uri("/wc")).retrieve().bodyToMono(String.class)
          .block(Duration.ofSeconds(30)));
      assertEquals(1, server.count("/rc"));
      assertEquals(1, server.count("/rt"));
      assertEquals(1, server.count("/wc"));
    }
  }
}
