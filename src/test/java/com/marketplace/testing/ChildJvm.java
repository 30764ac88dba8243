package com.marketplace.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** Programs the tests run in a child JVM, with their output in a file under {@code target/peer-logs}. */
public final class ChildJvm {

  /** How a child run to its end ended: its exit code, -1 if it was killed for taking too long, and its output. */
  public record Ended(int exitCode, String output) {}

  private ChildJvm() {}

  /** Waits for {@code process}, whose output goes to {@code log}; one still running after {@code timeoutSeconds} is killed. */
  public static Ended awaitEnd(Process process, Path log, long timeoutSeconds) {
    try {
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
        return new Ended(-1, "timed out after " + timeoutSeconds + " s\n" + read(log));
      }
      return new Ended(process.exitValue(), read(log));
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Starts {@code mainClass} in a child JVM with this one's Java, quick to start; output goes to {@code log}.
   * Its Vert.x file cache is under {@code target}: the tests kill some children, which leaves their caches behind.
   */
  public static Process start(String classpath, String mainClass, List<String> args, Path log) {
    return start(classpath, mainClass, args, ProcessBuilder.Redirect.to(log.toFile()));
  }

  /** As {@link #start(String, String, List, Path)}, with standard output and error sent to {@code output}. */
  public static Process start(String classpath, String mainClass, List<String> args, ProcessBuilder.Redirect output) {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1", "-Xshare:auto",
        "-Dvertx.cacheDirBase=" + Path.of("target", "vertx-cache").toAbsolutePath()));
    command.addAll(List.of("-cp", classpath, mainClass));
    command.addAll(args);
    try {
      return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output).start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * This JVM's class path without the tests' own classes and resources, so that a child runs as the
   * product does: with its logging set up by the product, not by the tests' logback-test.xml.
   */
  public static String productClassPath() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> !Path.of(entry).endsWith("test-classes"))
        .collect(Collectors.joining(File.pathSeparator));
  }

  /** A new log file for one child, named after its main class. */
  public static Path logFile(String mainClass) {
    try {
      Path dir = Files.createDirectories(Path.of("target", "peer-logs"));
      return Files.createTempFile(dir, mainClass.substring(mainClass.lastIndexOf('.') + 1) + "-", ".log");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String read(Path log) {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(output unreadable: " + e + ")";
    }
  }
}
