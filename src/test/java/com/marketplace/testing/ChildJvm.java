package com.marketplace.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Programs the tests run in a child JVM, with their output in a file under {@code target/peer-logs}. */
public final class ChildJvm {

  private ChildJvm() {}

  /** Starts {@code mainClass} in a child JVM with this one's Java, quick to start; output goes to {@code log}. */
  public static Process start(List<String> jvmOptions, String classpath, String mainClass, List<String> args, Path log) {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1", "-Xshare:auto"));
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", classpath, mainClass));
    command.addAll(args);
    try {
      return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
