package com.marketplace.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away CA, and a server and a client certificate it signed, made with the JDK's keytool at
 * run time, as PEM files: no private key is ever committed.
 */
public record TestCertificates(Path caCert, Path serverCert, Path serverKey, Path clientCert, Path clientKey) {

  private static final String PASSWORD = "throwaway";

  public static TestCertificates create(Path dir) {
    keytool(dir, "-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=Marketplace Test CA",
        "-ext", "bc:c", "-validity", "2", "-keystore", "ca.p12");
    keytool(dir, "-exportcert", "-alias", "ca", "-rfc", "-file", "ca.pem", "-keystore", "ca.p12");
    issue(dir, "server", "CN=localhost", "san=dns:localhost,ip:127.0.0.1");
    issue(dir, "client", "CN=test-client", "eku=clientAuth");
    return new TestCertificates(dir.resolve("ca.pem"), dir.resolve("server.pem"), dir.resolve("server.key"),
        dir.resolve("client.pem"), dir.resolve("client.key"));
  }

  private static void issue(Path dir, String name, String subject, String extension) {
    keytool(dir, "-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", subject,
        "-validity", "2", "-keystore", name + ".p12");
    keytool(dir, "-certreq", "-alias", name, "-file", name + ".csr", "-keystore", name + ".p12");
    keytool(dir, "-gencert", "-alias", "ca", "-infile", name + ".csr", "-outfile", name + ".pem", "-rfc",
        "-ext", extension, "-validity", "2", "-keystore", "ca.p12");
    writePrivateKey(dir.resolve(name + ".p12"), name, dir.resolve(name + ".key"));
  }

  /** keytool cannot export a private key: read it from the keystore and write it as PKCS#8 PEM. */
  private static void writePrivateKey(Path keystore, String alias, Path pem) {
    try (InputStream in = Files.newInputStream(keystore)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, PASSWORD.toCharArray());
      PrivateKey key = (PrivateKey) store.getKey(alias, PASSWORD.toCharArray());
      String base64 = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.getEncoded());
      Files.writeString(pem, "-----BEGIN PRIVATE KEY-----\n" + base64 + "\n-----END PRIVATE KEY-----\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void keytool(Path dir, String... args) {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
    command.addAll(List.of(args));
    command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD, "-noprompt"));
    try {
      Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes());
      if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: " + output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
