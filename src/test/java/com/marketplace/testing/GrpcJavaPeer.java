package com.marketplace.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipFile;

/**
 * grpc-java's reference interop programs, run in a child JVM from the classpath that
 * src/it/grpc-java-peers resolves: on the Netty grpc-java is released with, and away from our test
 * classpath, whose classes are generated from the same protos as theirs.
 */
public final class GrpcJavaPeer {

  public static final String INTEROP_CLIENT = "io.grpc.testing.integration.TestServiceClient";
  public static final String INTEROP_SERVER = "io.grpc.testing.integration.TestServiceServer";

  private GrpcJavaPeer() {}

  /** Starts a peer; its output goes to {@code log}, never to a pipe that could fill up and stall it. */
  public static Process start(String mainClass, List<String> args, Path log) {
    return ChildJvm.start(classpath(), mainClass, args, log);
  }

  /** Runs a peer to its end; one still running after {@code timeoutSeconds} is killed and reported. */
  public static ChildJvm.Ended run(String mainClass, List<String> args, long timeoutSeconds) {
    Path log = ChildJvm.logFile(mainClass);
    return ChildJvm.awaitEnd(start(mainClass, args, log), log, timeoutSeconds);
  }

  /**
   * Copies grpc-java's test certificates ({@code ca.pem}, and {@code server1.pem} with
   * {@code server1.key}, which name {@code *.test.google.fr}) out of the grpc-testing jar on the peers'
   * classpath into {@code dir}: the ones its interop client trusts with {@code --use_test_ca}, and its
   * interop server serves with {@code --use_tls}.
   */
  public static Path testCertificates(Path dir) {
    String jar = Arrays.stream(classpath().split(java.io.File.pathSeparator))
        .filter(entry -> Path.of(entry).getFileName().toString().startsWith("grpc-testing-")).findFirst()
        .orElseThrow(() -> new IllegalStateException("no grpc-testing jar on the grpc-java peer classpath"));
    try (ZipFile zip = new ZipFile(jar)) {
      for (String name : List.of("ca.pem", "server1.pem", "server1.key")) {
        Files.copy(zip.getInputStream(zip.getEntry("certs/" + name)), dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
      }
      return dir;
    } catch (IOException e) {
      throw new IllegalStateException("cannot copy grpc-java's test certificates out of " + jar, e);
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
