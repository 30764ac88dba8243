package com.marketplace.testing;

import com.marketplace.client.Http2Clients;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
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

  /** An HTTP/2 client for {@link com.marketplace.client.ClientCall}s over h2c, accepting messages up to 16 MiB. */
  public static HttpClientAgent http2(Vertx vertx) {
    return keep(Http2Clients.create(vertx, 16 * 1024 * 1024));
  }

  /**
   * vertx-grpc's gRPC client over h2c, accepting messages up to 16 MiB, for tests that drive a call
   * message by message.
   *
   * <p>A test that reads a stream's messages starts the call on the event loop ({@code
   * vertx.runOnContext}): a chain of futures built on the test thread may get its handler only after
   * the response has come, and vertx-grpc drops the messages that arrive before a handler is set.
   */
  public static GrpcClient grpc(Vertx vertx) {
    return keep(GrpcClient.client(vertx, new GrpcClientOptions().setMaxMessageSize(16 * 1024 * 1024)));
  }

  /** A whole HTTP reply. */
  public record HttpReply(int status, MultiMap headers, Buffer body, MultiMap trailers) {}

  /**
   * Sends a request ({@code body} may be null) and reads the whole reply. The body is asked for in
   * the very callback that hands over the response: asked for in a later one, as a test thread's
   * chain of futures may, it can miss the response's end and never complete (vertx-core 5.0.7,
   * eclipse-vertx/vert.x#6038).
   */
  public static Future<HttpReply> exchange(HttpClient http, RequestOptions options, Buffer body) {
    return http.request(options).compose(request -> (body == null ? request.send() : request.send(body))
        .compose(response -> response.body().map(data -> new HttpReply(response.statusCode(), response.headers(), data, response.trailers()))));
  }

  /** A GET of {@code path} on 127.0.0.1, the whole reply. */
  public static Future<HttpReply> get(HttpClient http, int port, String path) {
    return exchange(http, new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port).setURI(path), null);
  }

  /** A HEAD of {@code path} on 127.0.0.1, the whole reply. */
  public static Future<HttpReply> head(HttpClient http, int port, String path) {
    return exchange(http, new RequestOptions().setMethod(HttpMethod.HEAD).setHost("127.0.0.1").setPort(port).setURI(path), null);
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
