package com.marketplace.testing;

import static com.marketplace.testing.TestServers.await;

import com.marketplace.config.ServerConfig;
import com.marketplace.server.MarketplaceServer;
import com.marketplace.testing.Calls.Outcome;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.common.ServiceMethod;
import java.util.List;

/** A marketplace server started for one test, with a client and whole-call helpers. */
public record RunningMarketplace(MarketplaceServer server, HttpClient client, SocketAddress address) {

  public static RunningMarketplace start(Vertx vertx) {
    return start(vertx, TestServers.config(new JsonObject()));
  }

  public static RunningMarketplace start(Vertx vertx, ServerConfig config) {
    MarketplaceServer server = TestServers.start(vertx, config);
    return new RunningMarketplace(server, TestClients.http2(vertx), TestServers.address(server));
  }

  /** One request, then half-close; waits for the outcome. */
  public <Req, Resp> Outcome<Resp> call(ServiceMethod<Resp, Req> method, Req request) {
    return await(Calls.call(client, address, method, request));
  }

  /** Every request, then half-close; waits for the outcome. */
  public <Req, Resp> Outcome<Resp> call(ServiceMethod<Resp, Req> method, List<Req> requests) {
    return await(Calls.call(client, address, method, requests, 0));
  }
}
