package com.marketplace.web;

import static com.marketplace.testing.TestServers.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marketplace.testing.TestServers;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
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
  void aShopperBrowsesHomeProductAndLivePages(Vertx vertx) throws IOException, InterruptedException {
    assertTrue(Files.isExecutable(Path.of("/usr/bin/chromium")) && Files.isDirectory(Path.of("node_modules/playwright-core")),
        "the browser test needs Debian's chromium and the npm packages: apt-get install -y chromium && npm ci (as .ci/run does)");
    int backend = TestServers.start(vertx).port();
    int web = await(WebFrontEnd.start(vertx, WebFrontEndTest.config(backend, Duration.ofSeconds(2)))).port();

    Path log = Files.createTempFile("browse-shop", ".log");
    Process browser = new ProcessBuilder("node", SCRIPT.toString(), "http://127.0.0.1:" + web, SCREENSHOTS.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    boolean finished = browser.waitFor(90, TimeUnit.SECONDS);
    if (!finished) {
      browser.destroyForcibly();
    }
    String output = Files.readString(log);

    assertTrue(finished, "the browser did not finish within 90 s:\n" + output);
    assertEquals(0, browser.exitValue(), output);
    assertTrue(Files.size(SCREENSHOTS.resolve("home.png")) > 10_000, "no home page screenshot");
  }
}
