package com.marketplace.client;

import io.vertx.core.http.HttpConnectOptions;
import io.vertx.core.net.SocketAddress;

/**
 * The {@code :authority} of calls to a server's address. An IPv6 address goes in brackets: Vert.x
 * 5.0.7 writes it bare, and a server (Vert.x's among them) resets each stream for the malformed
 * authority.
 */
final class Authority {

  private Authority() {}

  /** {@code options} to connect to, or call, {@code server}, with the authority that names it. */
  static <T extends HttpConnectOptions> T of(SocketAddress server, T options) {
    String host = server.host();
    if (host != null && host.indexOf(':') >= 0) {
      options.setHost("[" + host + "]").setPort(server.port());
    }
    return options;
  }
}
