package com.marketplace.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The suite's Node and Python scripts, run to their end with their output in a file under
 * {@code target/peer-logs}. Node scripts use the npm packages of package.json, which {@code npm ci}
 * installs; Python scripts run on Debian's python3 with Debian's packages. {@code .ci/run} installs both.
 */
public final class Scripts {

  /** Debian's Python, whose packages (python3-grpcio, python3-protobuf) the scripts import. */
  private static final Path PYTHON = Path.of("/usr/bin/python3");
  private static final Path PYTHON_PACKAGES = Path.of("/usr/lib/python3/dist-packages");

  private Scripts() {}

  /** Fails the test at once, saying how to install it, when the npm package {@code name} is missing. */
  public static void assertNodePackage(String name) {
    assertTrue(Files.isDirectory(Path.of("node_modules", name)),
        "this test needs the npm packages of package.json: npm ci (as .ci/run does)");
  }

  /** Fails the test at once, saying how to install it, when Debian's python3 lacks the module of {@code debianPackage}. */
  public static void assertPythonModule(String module, String debianPackage) {
    assertTrue(Files.isExecutable(PYTHON) && Files.isDirectory(PYTHON_PACKAGES.resolve(module)),
        "this test needs Debian's " + debianPackage + ": apt-get install " + debianPackage + " (as .ci/run does)");
  }

  /** Runs a Node {@code script}; one still running after {@code timeoutSeconds} is killed and reported. */
  public static ChildJvm.Ended node(Path script, List<String> args, long timeoutSeconds) {
    return run("node", script, args, timeoutSeconds);
  }

  /** Runs a Python {@code script} on Debian's python3; one still running after {@code timeoutSeconds} is killed and reported. */
  public static ChildJvm.Ended python(Path script, List<String> args, long timeoutSeconds) {
    return run(PYTHON.toString(), script, args, timeoutSeconds);
  }

  private static ChildJvm.Ended run(String interpreter, Path script, List<String> args, long timeoutSeconds) {
    String name = script.getFileName().toString();
    Path log = ChildJvm.logFile(name.substring(0, name.lastIndexOf('.')));
    List<String> command = new ArrayList<>(List.of(interpreter, script.toString()));
    command.addAll(args);
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      return ChildJvm.awaitEnd(process, log, timeoutSeconds);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
