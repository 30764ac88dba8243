package com.marketplace.client;

import io.vertx.core.http.HttpConnectOptions;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;

/**
 * The {@code :authority} of calls: the target a channel was given, as gRPC names it, else the
 * server's address. An IPv6 address goes in brackets: Vert.x 5.0.7 writes it bare, and a server
 * (Vert.x's among them) resets each stream for the malformed authority.
 */
final class Authority {

  private Authority() {}

  /** {@code options} to connect to, or call, {@code server}, named by its address. */
  static <T extends HttpConnectOptions> T of(SocketAddress server, T options) {
    if (server.host() != null) {
      options.setHost(named(server.host())).setPort(server.port());
    }
    return options;
  }

  /** {@code options} to connect to one of {@code target}'s addresses, named by {@code target}. */
  static <T extends HttpConnectOptions> T of(HostAndPort target, T options) {
    options.setHost(named(target.host())).setPort(target.port());
    return options;
  }

  /** {@code server} as HOST:PORT, an IPv6 host in brackets. */
  static String name(SocketAddress server) {
    return named(server.host()) + ":" + server.port();
  }

  /** The host as an authority names it: an IPv6 address in brackets. */
  private static String named(String host) {
    return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
  }
}
