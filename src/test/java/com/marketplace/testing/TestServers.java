package com.marketplace.testing;

import com.marketplace.catalog.CatalogFile;
import com.marketplace.config.ServerConfig;
import com.marketplace.grpc.CallPolicy;
import com.marketplace.grpc.RpcService;
import com.marketplace.grpc.UnaryRoutes;
import com.marketplace.grpc.ServerInterceptor;
import com.marketplace.server.MarketplaceServices;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import com.marketplace.server.MarketplaceServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Assumptions;

/** Starts real marketplace servers on free loopback ports, the way {@code serve} does. */
public final class TestServers {

  private TestServers() {}

  /** Two instances, so that tests also cover several verticles sharing the port. */
  public static ServerConfig config(JsonObject overrides) {
    return ServerConfig.fromJson(ServerConfig.defaults()
        .put("host", "127.0.0.1")
        .put("port", 0)
        .put("managementPort", 0)
        .put("instances", 2)
        .put("healthCheckIntervalMs", 100)
        .mergeIn(overrides));
  }

  /** Skips the calling test where IPv6 loopback ({@code ::1}) cannot be bound, as in some containers. */
  public static void assumeIpv6Loopback() {
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("::1"))) {
      Assumptions.assumeTrue(probe.isBound());
    } catch (IOException noIpv6) {
      Assumptions.assumeTrue(false, "no IPv6 loopback here: " + noIpv6);
    }
  }

  public static MarketplaceServer start(Vertx vertx) {
    return start(vertx, config(new JsonObject()));
  }

  public static MarketplaceServer start(Vertx vertx, ServerConfig config) {
    return await(MarketplaceServer.start(vertx, config));
  }

  /**
   * One gRPC server with the marketplace services behind {@code interceptors}, for tests that watch
   * calls from the inside.
   */
  public static SocketAddress serveWith(Vertx vertx, MarketplaceServices services, List<ServerInterceptor> interceptors) {
    GrpcServer grpc = GrpcServer.server(vertx);
    CallPolicy policy = CallPolicy.defaults().withInterceptors(interceptors);
    List<RpcService> mounted = services.definitions().stream().map(service -> service.withPolicy(policy)).toList();
    mounted.forEach(grpc::addService);
    return serve(vertx, routing(grpc, mounted));
  }

  /**
   * A request handler as the server has it: binary unary calls to {@code services} are answered on
   * the HTTP request ({@link UnaryRoutes}), every other request by {@code grpc}, where they are mounted.
   */
  public static Handler<HttpServerRequest> routing(GrpcServer grpc, List<RpcService> services) {
    UnaryRoutes routes = new UnaryRoutes(services);
    return request -> {
      if (!routes.answer(request, request.path())) {
        grpc.handle(request);
      }
    };
  }

  /** The services over the default catalog built into the jar. */
  public static MarketplaceServices defaultServices() {
    return services(false);
  }

  /** As {@link #defaultServices()}, with the conformance services of {@code serve --conformance}. */
  public static MarketplaceServices conformanceServices() {
    return services(true);
  }

  private static MarketplaceServices services(boolean conformance) {
    try (InputStream catalog = TestServers.class.getResourceAsStream("/marketplace/catalog.json")) {
      return MarketplaceServices.of(CatalogFile.parse("embedded catalog", Buffer.buffer(catalog.readAllBytes())),
          ServerConfig.defaults().getInteger("catalogMaxProducts"), conformance);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Serves {@code handler} (a {@link GrpcServer}, say) on a free loopback port, and says where. */
  public static SocketAddress serve(Vertx vertx, Handler<HttpServerRequest> handler) {
    return serve(vertx, new HttpServerOptions(), handler);
  }

  /** As {@link #serve(Vertx, Handler)}, with {@code options} (HTTP/2 settings, say). */
  public static SocketAddress serve(Vertx vertx, HttpServerOptions options, Handler<HttpServerRequest> handler) {
    int port = await(vertx.createHttpServer(options).requestHandler(handler).listen(0, "127.0.0.1")).actualPort();
    return SocketAddress.inetSocketAddress(port, "127.0.0.1");
  }

  /** Answers a gRPC request with {@code status} alone, trailers-only. */
  public static void answerTrailersOnly(HttpServerRequest request, GrpcStatus status) {
    request.response().putHeader("content-type", "application/grpc").putHeader("grpc-status", String.valueOf(status.code)).end();
  }

  public static SocketAddress address(MarketplaceServer server) {
    return SocketAddress.inetSocketAddress(server.port(), "127.0.0.1");
  }

  /** Waits on the test thread (never an event loop) for a future; a timeout reports what Vert.x's threads were doing. */
  public static <T> T await(io.vertx.core.Future<T> future) {
    try {
      return future.await(20, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("future timed out; Vert.x threads:\n" + vertxThreads(), e);
    } catch (Exception e) {
      throw new AssertionError("future failed: " + e, e);
    }
  }

  private static String vertxThreads() {
    StringBuilder dump = new StringBuilder();
    Thread.getAllStackTraces().forEach((thread, stack) -> {
      if (thread.getName().startsWith("vert.x-")) {
        dump.append(thread.getName()).append(' ').append(thread.getState()).append('\n');
        for (StackTraceElement frame : stack) {
          dump.append("    at ").append(frame).append('\n');
        }
      }
    });
    return dump.toString();
  }
}
