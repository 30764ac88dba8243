package com.marketplace.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * grpc-java's reference interop programs, run in a child JVM: their jars hold classes generated
 * from the same protos as ours, so they stay off the test classpath.
 */
public final class GrpcJavaPeer {

  public static final String INTEROP_CLIENT = "io.grpc.testing.integration.TestServiceClient";
  public static final String INTEROP_SERVER = "io.grpc.testing.integration.TestServiceServer";

  private GrpcJavaPeer() {}

  /** What a finished peer said. */
  public record Result(int exitCode, String output) {}

  /** Starts a peer; its output goes to {@code log}, never to a pipe that could fill up and stall it. */
  public static Process start(String mainClass, List<String> args, Path log) {
    return startJava(classpath(), mainClass, args, log);
  }

  /** Starts {@code mainClass} in a child JVM with this one's Java; output goes to {@code log}. */
  public static Process startJava(String classpath, String mainClass, List<String> args, Path log) {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xss512k", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
        "-Dlogback.configurationFile=" + Path.of("src", "test", "resources", "logback-peer.xml").toAbsolutePath(),
        "-cp", classpath, mainClass));
    command.addAll(args);
    try {
      return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs a peer to its end; one still running after {@code timeoutSeconds} is killed and reported. */
  public static Result run(String mainClass, List<String> args, long timeoutSeconds) {
    Path log = logFile();
    Process process = start(mainClass, args, log);
    try {
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
        return new Result(-1, "timed out after " + timeoutSeconds + " s\n" + read(log));
      }
      return new Result(process.exitValue(), read(log));
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public static Path logFile() {
    try {
      Path dir = Files.createDirectories(Path.of("target", "peer-logs"));
      return Files.createTempFile(dir, "grpc-java-", ".log");
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

  private static String classpath() {
    String file = System.getProperty("grpc-java.peer.classpath");
    try {
      return Files.readString(Path.of(file)).strip();
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("no grpc-java peer classpath at " + file + ": run the tests through Maven", e);
    }
  }
}
