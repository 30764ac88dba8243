package com.marketplace.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The suite's Node scripts, run with the npm packages of package.json, which {@code npm ci} installs
 * ({@code .ci/run} does); their output goes to a file under {@code target/peer-logs}.
 */
public final class NodeScripts {

  private NodeScripts() {}

  /** Fails the test at once, saying how to install it, when the npm package {@code name} is missing. */
  public static void assertInstalled(String name) {
    assertTrue(Files.isDirectory(Path.of("node_modules", name)),
        "this test needs the npm packages of package.json: npm ci (as .ci/run does)");
  }

  /** Runs {@code script} to its end; one still running after {@code timeoutSeconds} is killed and reported. */
  public static ChildJvm.Ended run(Path script, List<String> args, long timeoutSeconds) {
    String name = script.getFileName().toString();
    Path log = ChildJvm.logFile(name.substring(0, name.lastIndexOf('.')));
    List<String> command = new ArrayList<>(List.of("node", script.toString()));
    command.addAll(args);
    try {
      Process node = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      return ChildJvm.awaitEnd(node, log, timeoutSeconds);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
