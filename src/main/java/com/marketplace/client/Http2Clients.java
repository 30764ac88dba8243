package com.marketplace.client;

import io.vertx.core.Vertx;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import java.util.function.UnaryOperator;

/** The HTTP/2 clients {@link ClientCall}s are made on. */
public final class Http2Clients {

  /** How long a connection may take to open: gRPC's connection backoff's minimum, where Vert.x's default is 60 s. */
  static final int CONNECT_TIMEOUT_MS = 20_000;

  private Http2Clients() {}

  /** A cleartext client that speaks HTTP/2 at once (prior knowledge), as gRPC clients do. */
  public static HttpClientAgent create(Vertx vertx, long maxMessageSize) {
    return create(vertx, null, maxMessageSize);
  }

  /**
   * A client over {@code tls}, or cleartext when it is null: HTTP/2 without an upgrade, and response
   * windows sized for {@code maxMessageSize}.
   */
  public static HttpClientAgent create(Vertx vertx, ClientTls tls, long maxMessageSize) {
    return create(vertx, maxMessageSize, tls == null ? UnaryOperator.identity() : tls::applyTo);
  }

  /**
   * A TLS client that takes any server's certificate, for the calls a server makes to itself to train
   * a class-data archive ({@code serve --exit-when-serving}), where the handshake's classes matter,
   * not whom it reaches.
   */
  public static HttpClientAgent trustingAnyServer(Vertx vertx, long maxMessageSize) {
    return create(vertx, maxMessageSize,
        options -> options.setSsl(true).setUseAlpn(true).setTrustAll(true).setVerifyHost(false));
  }

  private static HttpClientAgent create(Vertx vertx, long maxMessageSize, UnaryOperator<HttpClientOptions> security) {
    int streamWindow = streamWindow(maxMessageSize);
    HttpClientOptions options = new HttpClientOptions()
        .setConnectTimeout(CONNECT_TIMEOUT_MS)
        .setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false)
        .setInitialSettings(new Http2Settings().setInitialWindowSize(streamWindow))
        .setHttp2ConnectionWindowSize(2 * streamWindow);
    return vertx.httpClientBuilder().with(security.apply(options)).build();
  }

  /**
   * The HTTP/2 window per call for responses: the largest message accepted, at least 1 MiB, so that
   * one message never waits for window updates (HTTP/2's default is 64 KiB).
   */
  private static int streamWindow(long maxMessageSize) {
    return (int) Math.min(Integer.MAX_VALUE / 2, Math.max(1024 * 1024, maxMessageSize));
  }
}
