package com.marketplace.web;

import static com.marketplace.testing.TestServers.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marketplace.testing.ChildJvm;
import com.marketplace.testing.Scripts;
import com.marketplace.testing.TestServers;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The shop in a real headless browser: Debian's Chromium driven by Playwright
 * ({@code src/test/e2e/browse-shop.mjs}). Needs {@code /usr/bin/chromium} and {@code npm ci};
 * {@code .ci/run} installs both.
 */
@ExtendWith(VertxExtension.class)
class WebShopInBrowserTest {

  private static final Path SCRIPT = Path.of("src/test/e2e/browse-shop.mjs");
  private static final Path SCREENSHOTS = Path.of("target/e2e");

  @Test
  void aShopperBrowsesHomeProductAndLivePages(Vertx vertx) throws IOException {
    assertTrue(Files.isExecutable(Path.of("/usr/bin/chromium")),
        "the browser test needs Debian's chromium: apt-get install -y chromium (as .ci/run does)");
    Scripts.assertNodePackage("playwright-core");
    int backend = TestServers.start(vertx).port();
    int web = await(WebFrontEnd.start(vertx, WebFrontEndTest.config(backend, Duration.ofSeconds(2)))).port();

    ChildJvm.Ended browser = Scripts.node(SCRIPT, List.of("http://127.0.0.1:" + web, SCREENSHOTS.toString()), 90);

    assertEquals(0, browser.exitCode(), browser.output());
    assertTrue(Files.size(SCREENSHOTS.resolve("home.png")) > 10_000, "no home page screenshot");
  }
}
