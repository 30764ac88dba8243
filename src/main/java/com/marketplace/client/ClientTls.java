package com.marketplace.client;

import com.marketplace.security.PemFiles;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Path;

/**
 * TLS to gRPC servers: ALPN {@code h2}, and the server's certificate checked against the trusted CAs
 * and the host name of the target called. A command without TLS has no {@code ClientTls} (null).
 *
 * @param caFile   PEM certificates of the CAs to trust; null: the JVM's
 * @param certFile PEM certificate chain shown to servers that ask for one (mutual TLS); null: none
 * @param keyFile  PEM private key of {@code certFile}; null exactly when it is
 */
public record ClientTls(Path caFile, Path certFile, Path keyFile) {

  /**
   * From command-line flags, named {@code prefix} followed by {@code use-tls}, {@code ca-file},
   * {@code cert-file} and {@code key-file}: null without TLS; an {@link IllegalArgumentException}
   * names the flag that is wrong, or the file that cannot be used.
   */
  public static ClientTls fromFlags(String prefix, boolean useTls, Path caFile, Path certFile, Path keyFile) {
    if (!useTls) {
      String stray = caFile != null ? "ca-file" : certFile != null ? "cert-file" : keyFile != null ? "key-file" : null;
      if (stray != null) {
        throw new IllegalArgumentException(prefix + stray + " needs " + prefix + "use-tls");
      }
      return null;
    }
    if ((certFile == null) != (keyFile == null)) {
      throw new IllegalArgumentException(prefix + "cert-file and " + prefix + "key-file go together");
    }
    ClientTls tls = new ClientTls(caFile, certFile, keyFile);
    tls.check(prefix);
    return tls;
  }

  /** {@code options}, speaking TLS as this says. */
  HttpClientOptions applyTo(HttpClientOptions options) {
    options.setSsl(true).setUseAlpn(true);
    if (caFile != null) {
      options.setTrustOptions(new PemTrustOptions().addCertPath(caFile.toString()));
    }
    if (certFile != null) {
      options.setKeyCertOptions(new PemKeyCertOptions().setCertPath(certFile.toString()).setKeyPath(keyFile.toString()));
    }
    return options;
  }

  /** Reads the files as a connection would ({@link PemFiles}), naming the flag of one that is wrong. */
  private void check(String prefix) {
    readable(prefix + "ca-file", caFile);
    readable(prefix + "cert-file", certFile);
    readable(prefix + "key-file", keyFile);
    if (caFile != null) {
      usable(prefix + "ca-file", caFile.toString(), () -> PemFiles.checkCertificates(caFile));
    }
    if (certFile != null) {
      usable(prefix + "cert-file/" + prefix + "key-file", certFile + " and " + keyFile,
          () -> PemFiles.checkKeyPair(certFile, keyFile));
    }
  }

  private static void readable(String flag, Path file) {
    if (file != null && !PemFiles.readable(file)) {
      throw new IllegalArgumentException(flag + ": cannot read " + file);
    }
  }

  private static void usable(String flag, String files, Runnable check) {
    try {
      check.run();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(flag + ": cannot use " + files + ": " + e.getMessage());
    }
  }
}
