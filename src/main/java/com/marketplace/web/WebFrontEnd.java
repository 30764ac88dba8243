package com.marketplace.web;

import com.marketplace.server.MarketplaceServer;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A running web front end: {@code instances} web verticles on one port. Built so that {@code web} and the tests start it the same way. */
public final class WebFrontEnd {

  private final Vertx vertx;
  private final String deployment;
  private final int port;

  private WebFrontEnd(Vertx vertx, String deployment, int port) {
    this.vertx = vertx;
    this.deployment = deployment;
    this.port = port;
  }

  public static Future<WebFrontEnd> start(Vertx vertx, WebConfig config) {
    int listenPort = MarketplaceServer.sharedListenPort(config.port());
    List<WebVerticle> verticles = new CopyOnWriteArrayList<>();
    return vertx.deployVerticle(() -> {
          WebVerticle verticle = new WebVerticle(config, listenPort);
          verticles.add(verticle);
          return verticle;
        }, new DeploymentOptions().setInstances(config.instances()))
        .map(id -> new WebFrontEnd(vertx, id, verticles.get(0).actualPort()));
  }

  public int port() {
    return port;
  }

  /** Stops taking requests, gives those in flight a few seconds, and closes the backend connections. */
  public Future<Void> stop() {
    return vertx.undeploy(deployment);
  }
}
