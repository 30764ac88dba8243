package com.marketplace.server;

import static com.marketplace.testing.TestServers.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.marketplace.testing.Calls;
import com.marketplace.testing.Calls.Outcome;
import com.marketplace.testing.TestClients;
import com.marketplace.testing.TestServers;
import io.grpc.testing.integration.Messages.ResponseParameters;
import io.grpc.testing.integration.Messages.StreamingOutputCallRequest;
import io.grpc.testing.integration.Messages.StreamingOutputCallResponse;
import io.grpc.testing.integration.TestServiceGrpcClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Flushes are coalesced, never lost: a message written from a timer, outside any read and with the
 * connection otherwise silent, still reaches the client, and so does the status after it.
 */
@ExtendWith(VertxExtension.class)
class FlushCoalescingTest {

  @Test
  void messagesWrittenOutsideAnyReadAllArrive(Vertx vertx) {
    MarketplaceServer server = TestServers.start(vertx, TestServers.config(new JsonObject().put("conformance", true)));
    StreamingOutputCallRequest.Builder request = StreamingOutputCallRequest.newBuilder();
    List.of(10, 20, 30).forEach(size -> request.addResponseParameters(
        ResponseParameters.newBuilder().setSize(size).setIntervalUs(50_000)));

    Outcome<StreamingOutputCallResponse> outcome = await(Calls.call(TestClients.grpc(vertx), TestServers.address(server),
        TestServiceGrpcClient.StreamingOutputCall, request.build()));

    assertEquals(GrpcStatus.OK, outcome.status());
    assertEquals(List.of(10, 20, 30), outcome.messages().stream().map(response -> response.getPayload().getBody().size()).toList());
  }
}
