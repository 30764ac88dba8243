package com.marketplace.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
    // Warnings only: with our logback on their classpath and no configuration, they would log at DEBUG.
    String quiet = "-Dlogback.configurationFile=" + Path.of("src", "test", "resources", "logback-peer.xml").toAbsolutePath();
    return ChildJvm.start(List.of(quiet), classpath(), mainClass, args, log);
  }

  /** Runs a peer to its end; one still running after {@code timeoutSeconds} is killed and reported. */
  public static Result run(String mainClass, List<String> args, long timeoutSeconds) {
    Path log = ChildJvm.logFile(mainClass);
    Process process = start(mainClass, args, log);
    try {
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
        return new Result(-1, "timed out after " + timeoutSeconds + " s\n" + ChildJvm.read(log));
      }
      return new Result(process.exitValue(), ChildJvm.read(log));
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
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
