package com.marketplace.client;

import io.vertx.core.Vertx;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;

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
    int streamWindow = streamWindow(maxMessageSize);
    HttpClientOptions options = new HttpClientOptions()
        .setConnectTimeout(CONNECT_TIMEOUT_MS)
        .setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false)
        .setInitialSettings(new Http2Settings().setInitialWindowSize(streamWindow))
        .setHttp2ConnectionWindowSize(2 * streamWindow);
    return vertx.httpClientBuilder().with(tls == null ? options : tls.applyTo(options)).build();
  }

  /**
   * The HTTP/2 window per call for responses: the largest message accepted, at least 1 MiB, so that
   * one message never waits for window updates (HTTP/2's default is 64 KiB).
   */
  private static int streamWindow(long maxMessageSize) {
    return (int) Math.min(Integer.MAX_VALUE / 2, Math.max(1024 * 1024, maxMessageSize));
  }
}
