package com.marketplace.client;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The TLS flags of a command that calls gRPC servers, as a picocli mixin. */
public final class TlsFlags {

  @Option(names = "--use-tls", description = "Call over TLS (default: cleartext)")
  boolean useTls;

  @Option(names = "--ca-file", paramLabel = "PEM", description = "CA certificates to trust with --use-tls (default: the JVM's)")
  Path caFile;

  @Option(names = "--cert-file", paramLabel = "PEM", description = "Client certificate chain, for servers that require one (mutual TLS)")
  Path certFile;

  @Option(names = "--key-file", paramLabel = "PEM", description = "Private key of --cert-file")
  Path keyFile;

  /** TLS as the flags say, null without {@code --use-tls} (see {@link ClientTls#fromFlags}). */
  public ClientTls tls() {
    return ClientTls.fromFlags("--", useTls, caFile, certFile, keyFile);
  }
}
