package com.marketplace.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marketplace.Main;
import com.marketplace.testing.ChildJvm;
import com.marketplace.testing.TestCertificates;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve --exit-when-serving} is the training run that {@code mvn package} makes the class-data
 * archive with (README, Fast start): it must serve, answer its training calls (so that the archive
 * holds the classes of answering calls too), then stop by itself with exit code 0. The archive
 * itself is left to the build: the JVM refuses to make one from a class path with directories, such
 * as the tests' target/classes.
 */
class ClassDataArchiveTest {

  @Test
  void aTrainingRunServesAnswersItsTrainingCallsThenStopsByItself() throws InterruptedException {
    assertTrainingRunAnswersItsCalls(List.of());
  }

  /** Over TLS too, so that the archive holds the classes of the handshake. */
  @Test
  void aTrainingRunOverTlsMakesItsTrainingCallsOverTls(@TempDir Path dir) throws InterruptedException {
    TestCertificates certificates = TestCertificates.create(dir);
    assertTrainingRunAnswersItsCalls(List.of("--tls-cert", certificates.serverCert().toString(),
        "--tls-key", certificates.serverKey().toString()));
  }

  private static void assertTrainingRunAnswersItsCalls(List<String> flags) throws InterruptedException {
    Path log = ChildJvm.logFile(Main.class.getName());
    List<String> arguments = new ArrayList<>(List.of("serve", "--port", "0", "--management-port", "0", "--exit-when-serving"));
    arguments.addAll(flags);
    Process training = ChildJvm.start(System.getProperty("java.class.path"), Main.class.getName(), arguments, log);

    assertTrue(training.waitFor(60, TimeUnit.SECONDS), "the training run stops by itself");
    assertEquals(0, training.exitValue(), ChildJvm.read(log));
    String output = ChildJvm.read(log);
    assertTrue(output.contains("Marketplace serving gRPC"), output);
    assertTrue(output.contains("method=\"grpc.health.v1.Health/Check\"") && output.contains("status=\"OK\""), output);
    assertTrue(output.contains("method=\"product.ProductService/GetProduct\""), output);
    assertFalse(output.contains("Training calls did not end"), output);
  }
}
