package dev.throttle.okhttp;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.ScenarioMappingBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;

/** A WireMock server on 127.0.0.1, random port, with a helper for response sequences. */
final class WireMockSupport {
  private WireMockSupport() {}

  static WireMockServer start() {
    WireMockServer server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort()
        .containerThreads(16).jettyAcceptors(1));
    server.start();
    return server;
  }

  static String url(WireMockServer server, String path) {
    return "http://127.0.0.1:" + server.port() + path;
  }

  /** Answers requests to {@code path} with {@code responses} in order; the last one repeats. */
  static void sequence(WireMockServer server, String path, ResponseDefinitionBuilder... responses) {
    for (int i = 0; i < responses.length; i++) {
      String state = i == 0 ? Scenario.STARTED : "step" + i;
      ScenarioMappingBuilder m = any(urlEqualTo(path)).inScenario(path).whenScenarioStateIs(state)
          .willReturn(responses[i]);
      if (i < responses.length - 1) {
        m = m.willSetStateTo("step" + (i + 1));
      }
      server.stubFor(m);
    }
  }
}
