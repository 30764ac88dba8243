package com.marketplace.grpc;

import com.marketplace.client.Http2Clients;
import com.marketplace.testing.TestClients;
import com.marketplace.testing.TestServers;
import static com.marketplace.testing.TestServers.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marketplace.client.CallOptions;
import com.marketplace.client.ClientCall;
import com.marketplace.proto.api.ApiGrpcClient;
import com.marketplace.proto.api.ApiGrpcService;
import com.marketplace.proto.api.ApiRequest;
import com.marketplace.proto.api.Item;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A stream to a client with a huge window must not keep its event loop to itself (it once wrote 50,000 items in one turn). */
@ExtendWith(VertxExtension.class)
class StreamFairnessTest {

  private static final int ITEMS = 10_000;

  @Test
  void aStreamYieldsTheEventLoopBetweenBatches(Vertx vertx) {
    Promise<Long> writtenInFirstTurn = Promise.promise();
    GrpcServer grpc = GrpcServer.server(vertx);
    grpc.addService(RpcService.builder(ApiGrpcService.SERVICE_NAME, ApiGrpcService.SERVICE_DESCRIPTOR)
        .serverStreaming(ApiGrpcService.getStream, (request, call) -> {
          Future<Void> sent = call.sendAll(IntStream.rangeClosed(1, ITEMS).mapToObj(i -> Item.newBuilder().setId(i).build()).iterator());
          writtenInFirstTurn.complete(call.messagesSent());
          return sent;
        })
        .build());
    SocketAddress server = TestServers.serve(vertx, grpc);
    HttpClient wideOpen = TestClients.keep(Http2Clients.create(vertx, 64 * 1024 * 1024));

    List<Item> items = await(ClientCall.call(wideOpen, server, ApiGrpcClient.getStream,
        CallOptions.defaults(), 1 << 20, List.of(ApiRequest.getDefaultInstance()))).messages();
    assertEquals(ITEMS, items.size());
    long firstTurn = await(writtenInFirstTurn.future());
    assertTrue(firstTurn < ITEMS, "the whole stream was written in one event-loop turn");
  }
}
