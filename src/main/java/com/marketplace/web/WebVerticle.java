package com.marketplace.web;

import com.marketplace.client.BalancedChannel;
import com.marketplace.client.ChannelOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.concurrent.TimeUnit;

/**
 * The shop's web front end on one event loop, with a balanced gRPC channel of its own to the
 * backends. Several instances share the port.
 */
public final class WebVerticle extends VerticleBase {

  /** On stop, requests in flight get this long to finish. */
  private static final int SHUTDOWN_GRACE_SECONDS = 5;

  private final WebConfig config;
  private final int listenPort;
  private BalancedChannel channel;
  private HttpServer http;
  private boolean draining;

  /** @param listenPort the port to bind; a negative one is shared, as one random port, by every instance given it */
  public WebVerticle(WebConfig config, int listenPort) {
    this.config = config;
    this.listenPort = listenPort;
  }

  @Override
  public Future<?> start() {
    return BalancedChannel.open(vertx, ChannelOptions.of(config.backends()).withTls(config.backendTls()))
        .compose(opened -> {
          channel = opened;
          ShopRoutes routes = new ShopRoutes(new ShopBackend(channel, config.deadline()), config.categories(), () -> draining);
          return vertx.createHttpServer(new HttpServerOptions().setCompressionSupported(true))
              .requestHandler(routes.router(Router.router(vertx)))
              .listen(listenPort, config.host());
        })
        .onSuccess(server -> http = server);
  }

  @Override
  public Future<?> stop() {
    draining = true;
    Future<Void> closed = http == null ? Future.succeededFuture() : http.shutdown(SHUTDOWN_GRACE_SECONDS, TimeUnit.SECONDS);
    return closed.compose(v -> channel == null ? Future.succeededFuture() : channel.close());
  }

  public int actualPort() {
    return http.actualPort();
  }
}
