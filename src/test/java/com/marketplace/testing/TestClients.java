package com.marketplace.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The clients tests make, kept reachable until the test ends. Vert.x closes an HTTP client once it
 * becomes unreachable (a {@link java.lang.ref.Cleaner}), connections and all: a test that holds only
 * a call or a request would lose its connection whenever the garbage collector runs. Registered for
 * every test through JUnit's extension auto-detection.
 */
public final class TestClients implements AfterEachCallback {

  private static final List<Object> KEPT = new CopyOnWriteArrayList<>();

  public static HttpClient http(Vertx vertx) {
    return keep(vertx.createHttpClient());
  }

  public static HttpClient http(Vertx vertx, HttpClientOptions options) {
    return keep(vertx.createHttpClient(options));
  }

  /** A gRPC client over h2c that accepts messages up to 16 MiB. */
  public static GrpcClient grpc(Vertx vertx) {
    return keep(GrpcClient.client(vertx, new GrpcClientOptions().setMaxMessageSize(16 * 1024 * 1024)));
  }

  public static <T> T keep(T client) {
    KEPT.add(client);
    return client;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    KEPT.clear();
  }
}
