package com.marketplace.security;

import io.vertx.core.Vertx;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.X509KeyManager;

/**
 * Reads the PEM files of a TLS setting as Vert.x will, so that a wrong one is reported by name when a
 * command starts, not as every handshake failing later: certificates or a key that do not parse, and
 * a key that is not the certificate's, which Vert.x 5.0.7 takes without a word. Each check throws an
 * {@link IllegalArgumentException} whose message says what is wrong.
 */
public final class PemFiles {

  private static final byte[] PROBE = "marketplace key pair check".getBytes(StandardCharsets.US_ASCII);

  private PemFiles() {}

  /** Whether {@code file} is a regular file this process may read: checked first, to name the file in the error. */
  public static boolean readable(Path file) {
    return Files.isRegularFile(file) && Files.isReadable(file);
  }

  /** {@code file} holds PEM certificates, as a trust store. */
  public static void checkCertificates(Path file) {
    withVertx(vertx -> new PemTrustOptions().addCertPath(file.toString()).getTrustManagerFactory(vertx));
  }

  /** {@code cert} holds a PEM certificate chain, and {@code key} the private key of its first certificate. */
  public static void checkKeyPair(Path cert, Path key) {
    withVertx(vertx -> {
      PemKeyCertOptions options = new PemKeyCertOptions().setCertPath(cert.toString()).setKeyPath(key.toString());
      KeyStore store = options.loadKeyStore(vertx);
      String alias = store.aliases().nextElement();
      PublicKey certified = ((X509Certificate) store.getCertificate(alias)).getPublicKey();
      for (KeyManager manager : options.getKeyManagerFactory(vertx).getKeyManagers()) {
        PrivateKey privateKey = manager instanceof X509KeyManager x509 ? x509.getPrivateKey(alias) : null;
        if (privateKey != null) {
          checkMatch(privateKey, certified);
        }
      }
    });
  }

  /** Signs with {@code key} and verifies with {@code certified}: only the pair's two halves agree. */
  private static void checkMatch(PrivateKey key, PublicKey certified) throws GeneralSecurityException {
    String algorithm = switch (key.getAlgorithm()) {
      case "EC" -> "SHA256withECDSA";
      case "RSA" -> "SHA256withRSA";
      case "EdDSA", "Ed25519", "Ed448" -> key.getAlgorithm();
      default -> null; // a kind of key this check does not know: the handshake will tell
    };
    if (algorithm == null) {
      return;
    }
    Signature signing = Signature.getInstance(algorithm);
    signing.initSign(key);
    signing.update(PROBE);
    byte[] signature = signing.sign();
    boolean matches;
    try {
      Signature verifying = Signature.getInstance(algorithm);
      verifying.initVerify(certified);
      verifying.update(PROBE);
      matches = verifying.verify(signature);
    } catch (GeneralSecurityException otherKind) {
      matches = false;
    }
    if (!matches) {
      throw new IllegalArgumentException("the private key is not the one of the certificate");
    }
  }

  private interface Reading {
    void read(Vertx vertx) throws Exception;
  }

  /** Vert.x reads PEM files through a Vertx, and a command checks its settings before it makes its own. */
  private static void withVertx(Reading reading) {
    Vertx vertx = Vertx.vertx();
    try {
      reading.read(vertx);
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalArgumentException(String.valueOf(e.getMessage()), e);
    } finally {
      vertx.close();
    }
  }
}
