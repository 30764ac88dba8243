package com.marketplace.server;

import com.marketplace.config.ServerConfig;
import com.marketplace.grpc.CallPolicy;
import com.marketplace.grpc.ConnectionChannel;
import com.marketplace.grpc.DispatchedRequest;
import com.marketplace.grpc.FlushCoalescing;
import com.marketplace.grpc.FramePacking;
import com.marketplace.grpc.MessageCodec;
import com.marketplace.grpc.RpcService;
import com.marketplace.grpc.TrailersOnly;
import com.marketplace.grpc.UnaryRoutes;
import com.marketplace.health.GrpcHealthService;
import com.marketplace.health.HealthVerticle;
import com.marketplace.observability.ServerConnections;
import com.marketplace.reflection.ReflectionService;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.grpc.server.GrpcProtocol;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerOptions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Serves every marketplace gRPC service on one event loop. Several instances share the port;
 * Vert.x spreads connections over them.
 */
public final class GrpcServerVerticle extends VerticleBase {

  /** Still a bound on HTTP/2 rapid-reset floods (CVE-2023-44487), far above what cancelling clients cause. */
  static final int MAX_RESETS_PER_30_SECONDS = 20_000;

  private final ServerConfig config;
  private final int listenPort;
  private final MarketplaceServices services;
  private final CallPolicy policy;
  private final ServerConnections connections;
  /** This instance's open HTTP/2 connections, each with its closing: a graceful stop tells them to go away first. */
  private final Map<HttpConnection, Future<Void>> http2Connections = new HashMap<>();
  private GrpcHealthService health;
  private HttpServer http;
  /** When a graceful stop began (System.nanoTime()), or null: connections accepted after it are told to go away at once. */
  private Long stopStarted;

  /**
   * @param listenPort the port to bind; a negative one is shared, as one random port, by every
   *                   instance given the same number
   */
  public GrpcServerVerticle(ServerConfig config, int listenPort, MarketplaceServices services, CallPolicy policy,
                            ServerConnections connections) {
    this.config = config;
    this.listenPort = listenPort;
    this.services = services;
    this.policy = policy;
    this.connections = connections;
  }

  @Override
  public Future<?> start() {
    GrpcServer grpc = GrpcServer.server(vertx, new GrpcServerOptions()
        .setMaxMessageSize(config.effectiveMaxMessageSize())
        .setDeadlinePropagation(true));
    health = new GrpcHealthService();
    ReflectionService reflection = new ReflectionService(grpc);
    List<RpcService> mounted = Stream.concat(services.definitions().stream(),
            Stream.of(health.definition(), reflection.v1(), reflection.v1alpha()))
        .map(service -> service.withPolicy(policy))
        .toList();
    mounted.forEach(grpc::addService);
    UnaryRoutes unaryRoutes = new UnaryRoutes(mounted);
    UnknownMethods unknownMethods = new UnknownMethods(mounted, policy);
    CrossOriginCalls crossOrigin = new CrossOriginCalls(config.corsAllowedOrigins());
    return health.start(vertx)
        .compose(v -> vertx.createHttpServer(httpOptions(config))
            .requestHandler(request -> {
              // Vert.x parses the path from the URI at each request.path(): once is enough here.
              String path = request.path();
              FlushCoalescing.flushWhenEnded(request);
              if (unaryRoutes.answer(request, path)) {
                return;
              }
              if (crossOrigin.answered(request)) {
                return;
              }
              JsonCalls.prepare(request, path);
              GrpcProtocol protocol = RequestProtocols.of(request);
              if (protocol == null) {
                return;
              }
              MessageCodec.markUnspecifiedEncoding(request);
              if (protocol == GrpcProtocol.HTTP_2) {
                TrailersOnly.withoutContentLength(request.response());
              }
              if (unknownMethods.answered(request, path, protocol)) {
                return;
              }
              switch (protocol) {
                // HTTP/JSON calls answer failures themselves; binary gRPC calls may write their messages prefixed.
                case TRANSCODING -> DispatchedRequest.dispatch(request, () -> grpc.handle(request));
                case HTTP_2 -> DispatchedRequest.dispatch(request, () -> grpc.handle(new MessageAlignedBody(request)));
                case WEB -> grpc.handle(new MessageAlignedBody(request));
                case WEB_TEXT -> grpc.handle(new MessageAlignedBody(new WebTextBody(request)));
              }
            })
            .connectionHandler(this::setUp)
            .listen(listenPort, config.host()))
        .onSuccess(server -> {
          http = server;
          // Health pings this consumer: only a listening server answers, so readiness never runs ahead of the port.
          vertx.eventBus().localConsumer(HealthVerticle.PING_ADDRESS, ping -> ping.reply(null));
        });
  }

  /** A new connection: how its frames leave, its timers, and the connection count. */
  private void setUp(HttpConnection connection) {
    FlushCoalescing.install(connection);
    FramePacking.install(connection);
    Promise<Void> closed = Promise.promise();
    Http2ConnectionHandler http2 = ConnectionChannel.http2(ConnectionChannel.of(connection));
    // HTTP/1.x (gRPC-Web) has no timers of ours: no PINGs, and Vert.x's idle timeout stays.
    Runnable stopTimers = http2 == null ? () -> { } : ConnectionTimers.watch(vertx, connection, http2, closed.future(),
        config.keepAliveSeconds(), config.idleTimeoutSeconds(), config.maxConnectionAgeSeconds(),
        config.maxConnectionAgeGraceSeconds());
    connections.opened();
    if (http2 != null) {
      http2Connections.put(connection, closed.future());
      if (stopStarted != null) {
        // The stop is waiting for the connections it announced to: this one would get Vert.x's single GOAWAY.
        GracefulGoAway.announce(connection, closed.future(), GracefulGoAway.remaining(shutdownGraceMillis(), stopStarted));
      }
    }
    // Vert.x keeps one close handler per connection: this is it.
    connection.closeHandler(v -> {
      stopTimers.run();
      connections.closed();
      http2Connections.remove(connection);
      closed.complete();
    });
  }

  /**
   * Graceful: ends health watches, tells each HTTP/2 client to open no new calls here and waits for it
   * to have heard ({@link GracefulGoAway}), then stops listening and gives the calls in flight the rest
   * of {@code shutdownGraceSeconds} to finish before their connections are closed.
   */
  @Override
  public Future<?> stop() {
    health.endWatches();
    stopStarted = System.nanoTime();
    return Future.join(http2Connections.entrySet().stream()
            .map(open -> GracefulGoAway.announce(open.getKey(), open.getValue(), shutdownGraceMillis())).toList())
        .transform(announced -> http.shutdown(GracefulGoAway.remaining(shutdownGraceMillis(), stopStarted), TimeUnit.MILLISECONDS));
  }

  private long shutdownGraceMillis() {
    return TimeUnit.SECONDS.toMillis(config.shutdownGraceSeconds());
  }

  public int actualPort() {
    return http.actualPort();
  }

  /**
   * HTTP/2 limits and windows from the config; TLS with ALPN (h2) when a certificate is configured,
   * checking client certificates when a client CA is.
   */
  static HttpServerOptions httpOptions(ServerConfig config) {
    HttpServerOptions options = new HttpServerOptions()
        .setInitialSettings(new Http2Settings()
            .setMaxConcurrentStreams(config.maxConcurrentStreams())
            .setInitialWindowSize(config.effectiveStreamWindowBytes()))
        .setHttp2ConnectionWindowSize(config.effectiveConnectionWindowBytes())
        // Each cancelled fast stream draws a reset from the client for every frame still in flight;
        // Vert.x's default (200 resets in 30 s) would close the connection, and its other calls, for that.
        .setHttp2RstFloodMaxRstFramePerWindow(MAX_RESETS_PER_30_SECONDS)
        // Until a connection is HTTP/2; from then on ConnectionTimers counts calls, not bytes.
        .setIdleTimeout(config.idleTimeoutSeconds())
        .setIdleTimeoutUnit(TimeUnit.SECONDS)
        .setTcpKeepAlive(true);
    if (config.tls()) {
      options.setSsl(true).setUseAlpn(true)
          .setKeyCertOptions(new PemKeyCertOptions().setCertPath(config.tlsCert()).setKeyPath(config.tlsKey()));
      if (config.tlsClientCa() != null) {
        options.setClientAuth(ClientAuth.REQUIRED).setTrustOptions(new PemTrustOptions().addCertPath(config.tlsClientCa()));
      }
    }
    return options;
  }
}
