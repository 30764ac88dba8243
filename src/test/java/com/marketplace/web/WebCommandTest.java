package com.marketplace.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.marketplace.client.ClientTls;
import com.marketplace.testing.CommandRun;
import com.marketplace.testing.TestCertificates;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** How the {@code web} command's flags become its {@link WebConfig}. */
class WebCommandTest {

  @TempDir
  Path dir;

  private static WebConfig configOf(String... args) {
    WebCommand command = new WebCommand();
    new CommandLine(command).parseArgs(args);
    return command.config();
  }

  @Test
  void theBackendsAreCalledInCleartextByDefault() {
    assertNull(configOf("--backend", "catalog:50051").backendTls());
  }

  @Test
  void backendTlsComesFromTheBackendFlags() {
    TestCertificates certificates = TestCertificates.create(dir);
    WebConfig config = configOf("--backend", "catalog:50051", "--backend-use-tls",
        "--backend-ca-file", certificates.caCert().toString(),
        "--backend-cert-file", certificates.clientCert().toString(),
        "--backend-key-file", certificates.clientKey().toString());

    assertEquals(new ClientTls(certificates.caCert(), certificates.clientCert(), certificates.clientKey()), config.backendTls());
  }

  @Test
  void aBackendTlsFileWithoutTlsIsAOneLineError() {
    CommandRun run = CommandRun.of("web", "--backend-ca-file", "ca.pem");
    assertEquals(2, run.exitCode());
    assertEquals("error: --backend-ca-file needs --backend-use-tls", run.err());
  }
}
