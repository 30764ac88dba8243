package com.marketplace.conformance;

import com.marketplace.testing.TestClients;
import static com.marketplace.testing.TestServers.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marketplace.client.CallOptions;
import com.marketplace.client.ClientCall;
import com.marketplace.grpc.RpcException;
import com.marketplace.proto.benchmark.BenchmarkServiceGrpcClient;
import com.marketplace.server.MarketplaceServer;
import com.marketplace.testing.Calls;
import com.marketplace.testing.TestServers;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.Messages.SimpleResponse;
import io.grpc.testing.integration.TestServiceGrpcClient;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class BenchmarkTestServiceTest {

  private static final SimpleRequest REQUEST = SimpleRequest.newBuilder().setResponseSize(100).build();

  private static SocketAddress conformanceServer(Vertx vertx) {
    MarketplaceServer server = TestServers.start(vertx, TestServers.config(new JsonObject().put("conformance", true)));
    return TestServers.address(server);
  }

  @Test
  void unaryPingPongAndClientStreamingAnswerWithTheRequestedSize(Vertx vertx) {
    SocketAddress server = conformanceServer(vertx);
    HttpClient client = TestClients.http2(vertx);
    assertEquals(100, await(Calls.call(client, server, BenchmarkServiceGrpcClient.UnaryCall, REQUEST)).single().getPayload().getBody().size());
    assertEquals(3, await(Calls.call(client, server, BenchmarkServiceGrpcClient.StreamingCall, List.of(REQUEST, REQUEST, REQUEST), 0))
        .messages().size());
    SimpleRequest last = SimpleRequest.newBuilder().setResponseSize(7).build();
    assertEquals(7, await(Calls.call(client, server, BenchmarkServiceGrpcClient.StreamingFromClient, List.of(REQUEST, last), 0))
        .single().getPayload().getBody().size());
  }

  @Test
  void aRequestForNoBytesGetsTheEmptyResponse(Vertx vertx) {
    SimpleResponse response = await(Calls.call(TestClients.http2(vertx), conformanceServer(vertx), BenchmarkServiceGrpcClient.UnaryCall,
        SimpleRequest.getDefaultInstance())).single();
    assertEquals(0, response.getSerializedSize(), "no payload, as grpc-java's AsyncServer answers");
  }

  @Test
  void serverStreamingRunsUntilTheClientCancels(Vertx vertx) {
    SocketAddress server = conformanceServer(vertx);
    AtomicInteger received = new AtomicInteger();
    Promise<Void> enough = Promise.promise();
    ClientCall<SimpleRequest, SimpleResponse> call = await(ClientCall.start(TestClients.http2(vertx), server,
        BenchmarkServiceGrpcClient.StreamingFromServer, CallOptions.defaults(), 1 << 20, response -> {
          if (received.incrementAndGet() == 1000) {
            enough.complete();
          }
        }));
    call.write(REQUEST);
    call.end();
    await(enough.future());
    call.cancel();
    RpcException cancelled = (RpcException) await(call.result().transform(outcome -> io.vertx.core.Future.succeededFuture(outcome.cause())));
    assertEquals(GrpcStatus.CANCELLED, cancelled.status());
  }

  @Test
  void bothWaysStreamsUntilTheClientHalfCloses(Vertx vertx) {
    SocketAddress server = conformanceServer(vertx);
    Promise<Void> some = Promise.promise();
    ClientCall<SimpleRequest, SimpleResponse> call = await(ClientCall.start(TestClients.http2(vertx), server,
        BenchmarkServiceGrpcClient.StreamingBothWays, CallOptions.defaults(), 1 << 20, response -> some.tryComplete()));
    call.write(REQUEST);
    await(some.future());
    call.end();
    assertTrue(await(call.result()).messages().size() >= 1);
  }

  @Test
  void theConformanceServicesAreOffByDefault(Vertx vertx) {
    SocketAddress server = TestServers.address(TestServers.start(vertx));
    assertEquals(GrpcStatus.UNIMPLEMENTED, await(Calls.call(TestClients.http2(vertx), server, TestServiceGrpcClient.UnaryCall, REQUEST)).status());
    assertEquals(GrpcStatus.UNIMPLEMENTED, await(Calls.call(TestClients.http2(vertx), server, BenchmarkServiceGrpcClient.UnaryCall, REQUEST)).status());
  }
}
