package com.marketplace.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.marketplace.testing.CommandRun;
import com.marketplace.testing.TestServers;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input on the command line is one line on stderr and exit code 2, never a stack trace. */
class ServeCommandLineTest {

  @TempDir
  Path dir;

  @Test
  void aMalformedFlagValue() {
    assertEquals(new Result(2, "error: Invalid value for option '--port': 'abc' is not an int (see --help)"), run("serve", "--port", "abc"));
  }

  @Test
  void anUnknownFlag() {
    assertEquals(new Result(2, "error: Unknown options: '--prot', '1' (see --help)"), run("serve", "--prot", "1"));
  }

  @Test
  void anOutOfRangeValue() {
    assertEquals(new Result(2, "error: config key 'instances': expected an integer from 1 to 1024, got 0"), run("serve", "--instances", "0"));
  }

  @Test
  void aMalformedConfigFile() throws IOException {
    Path config = Files.writeString(dir.resolve("config.json"), "[1, 2]");
    assertEquals(new Result(2, "error: config file " + config + ": not a JSON object"), run("serve", "--config", config.toString()));
  }

  @Test
  void aMissingCatalog() {
    Path catalog = dir.resolve("none.json");
    assertEquals(new Result(2, "error: catalog file " + catalog + " does not exist"),
        run("serve", "--port", "0", "--management-port", "0", "--catalog", catalog.toString()));
  }

  @Test
  void aMalformedCatalog() throws IOException {
    Path catalog = Files.writeString(dir.resolve("catalog.json"), "{\"products\": [{\"id\": \"x\", \"name\": \"X\", \"price\": \"free\", \"category\": \"C\"}], \"books\": []}");
    assertEquals(new Result(2, "error: " + catalog + ": products[0]: 'price' must be a number"),
        run("serve", "--port", "0", "--management-port", "0", "--catalog", catalog.toString()));
  }

  @Test
  void aCatalogLargerThanTheConfiguredMaximum() throws IOException {
    Path catalog = Files.writeString(dir.resolve("catalog.json"), "{\"products\": ["
        + "{\"id\": \"a\", \"name\": \"A\", \"price\": 1, \"category\": \"C\"},"
        + "{\"id\": \"b\", \"name\": \"B\", \"price\": 1, \"category\": \"C\"}], \"books\": []}");
    Path config = Files.writeString(dir.resolve("config.json"), "{\"catalogMaxProducts\": 1}");
    assertEquals(new Result(2, "error: config key 'catalogMaxProducts': the catalog holds more than 1 products"),
        run("serve", "--port", "0", "--management-port", "0", "--catalog", catalog.toString(), "--config", config.toString()));
  }

  @Test
  void aTakenPortIsOneLineAndExitCodeOne() {
    Vertx vertx = Vertx.vertx();
    try {
      int taken = TestServers.start(vertx).port();
      assertEquals(new Result(1, "error: cannot start: address already in use (gRPC port " + taken + ", management port 0)"),
          run("serve", "--host", "127.0.0.1", "--port", String.valueOf(taken), "--management-port", "0"));
    } finally {
      TestServers.await(vertx.close());
    }
  }

  private record Result(int exitCode, String stderr) {}

  private static Result run(String... args) {
    CommandRun run = CommandRun.of(args);
    return new Result(run.exitCode(), run.err());
  }
}
