package com.marketplace.grpc;

import static com.marketplace.testing.TestServers.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marketplace.server.MarketplaceServer;
import com.marketplace.testing.Calls;
import com.marketplace.testing.Calls.Outcome;
import com.marketplace.testing.TestClients;
import com.marketplace.testing.TestServers;
import io.grpc.testing.integration.Messages.ResponseParameters;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.Messages.SimpleResponse;
import io.grpc.testing.integration.Messages.StreamingOutputCallRequest;
import io.grpc.testing.integration.Messages.StreamingOutputCallResponse;
import io.grpc.testing.integration.TestServiceGrpcClient;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientConnection;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpConnectOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every HTTP/2 connection, server's and client's, gets the coalescing and the write merging (both
 * hook into Vert.x internals, which a Vert.x upgrade could move), and flushes are coalesced, never lost: a message
 * written from a timer, outside any read and with the connection otherwise silent, still reaches
 * the client, and so does the status after it.
 */
@ExtendWith(VertxExtension.class)
class FlushCoalescingTest {

  @Test
  void anHttp2ConnectionGetsTheHandler(Vertx vertx) {
    Promise<Boolean> installed = Promise.promise();
    HttpServer server = await(vertx.createHttpServer()
        .connectionHandler(connection -> {
          FlushCoalescing.install(connection);
          installed.complete(bothHandlers(ConnectionChannel.of(connection).pipeline()));
        })
        .requestHandler(request -> request.response().end())
        .listen(0, "127.0.0.1"));
    HttpClient http2 = TestClients.http(vertx, new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false));

    await(http2.request(HttpMethod.GET, server.actualPort(), "127.0.0.1", "/").compose(HttpClientRequest::send));

    assertTrue(await(installed.future()), "FlushConsolidationHandler and WriteMerging in the pipeline");
  }

  @Test
  void aClientConnectionGetsTheHandlerOnceACallIsSent(Vertx vertx) {
    MarketplaceServer server = TestServers.start(vertx, TestServers.config(new JsonObject().put("conformance", true)));
    HttpClient client = TestClients.http2(vertx);

    Outcome<SimpleResponse> outcome = await(Calls.call(client, TestServers.address(server), TestServiceGrpcClient.UnaryCall,
        SimpleRequest.newBuilder().setResponseSize(10).build()));
    HttpClientRequest probe = await(client.request(new RequestOptions().setServer(TestServers.address(server))));
    boolean installed = bothHandlers(ConnectionChannel.of(probe.connection()).pipeline());
    probe.exceptionHandler(ourReset -> { }).reset();

    assertEquals(GrpcStatus.OK, outcome.status());
    assertTrue(installed, "FlushConsolidationHandler and WriteMerging in the client connection's pipeline");
  }

  @Test
  void aConnectionOpenedOnItsOwnGetsTheHandlerOnceACallIsSent(Vertx vertx) {
    MarketplaceServer server = TestServers.start(vertx, TestServers.config(new JsonObject().put("conformance", true)));
    HttpClientConnection connection = await(TestClients.http2(vertx)
        .connect(new HttpConnectOptions().setServer(TestServers.address(server))));

    Outcome<SimpleResponse> outcome = await(Calls.call(connection, TestServers.address(server), TestServiceGrpcClient.UnaryCall,
        SimpleRequest.newBuilder().setResponseSize(10).build()));

    assertEquals(GrpcStatus.OK, outcome.status());
    assertTrue(bothHandlers(ConnectionChannel.of(connection).pipeline()),
        "FlushConsolidationHandler and WriteMerging in the pipeline of a connection from HttpClientAgent.connect");
  }

  @Test
  void messagesWrittenOutsideAnyReadAllArrive(Vertx vertx) {
    MarketplaceServer server = TestServers.start(vertx, TestServers.config(new JsonObject().put("conformance", true)));
    StreamingOutputCallRequest.Builder request = StreamingOutputCallRequest.newBuilder();
    List.of(10, 20, 30).forEach(size -> request.addResponseParameters(
        ResponseParameters.newBuilder().setSize(size).setIntervalUs(50_000)));

    Outcome<StreamingOutputCallResponse> outcome = await(Calls.call(TestClients.http2(vertx), TestServers.address(server),
        TestServiceGrpcClient.StreamingOutputCall, request.build()));

    assertEquals(GrpcStatus.OK, outcome.status());
    assertEquals(List.of(10, 20, 30), outcome.messages().stream().map(response -> response.getPayload().getBody().size()).toList());
  }

  private static boolean bothHandlers(ChannelPipeline pipeline) {
    return pipeline.get(FlushConsolidationHandler.class) != null && pipeline.get(WriteMerging.class) != null;
  }
}
