package com.marketplace.tutorial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marketplace.proto.bidirectional.BidirectionalGrpcClient;
import com.marketplace.proto.unary.Message;
import com.marketplace.proto.unary.MessageResponse;
import com.marketplace.proto.unary.UnaryGrpcClient;
import com.marketplace.testing.Calls.Outcome;
import com.marketplace.testing.RunningMarketplace;
import io.vertx.core.Vertx;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class TutorialServicesTest {

  private RunningMarketplace marketplace;

  @BeforeEach
  void start(Vertx vertx) {
    marketplace = RunningMarketplace.start(vertx);
  }

  @Test
  void unaryAcknowledgesTheMessage() {
    MessageResponse response = marketplace.call(UnaryGrpcClient.GetServerResponse,
        Message.newBuilder().setMessage("hi").build()).single();
    assertEquals("Hello I am up and running. Received 'hi' message from you", response.getMessage());
    assertTrue(response.getReceived());
  }

  @Test
  void bidirectionalAnswersEveryMessageUntilTheClientEnds() {
    List<com.marketplace.proto.bidirectional.Message> messages = List.of(bidi("one"), bidi("two"), bidi("three"));
    Outcome<com.marketplace.proto.bidirectional.Message> outcome = marketplace.call(
        BidirectionalGrpcClient.GetServerResponse, messages);
    assertEquals(GrpcStatus.OK, outcome.status());
    assertEquals(List.of(
        TutorialServices.reply("one"), TutorialServices.reply("two"), TutorialServices.reply("three")),
        outcome.messages().stream().map(com.marketplace.proto.bidirectional.Message::getMessage).toList());
  }

  private static com.marketplace.proto.bidirectional.Message bidi(String text) {
    return com.marketplace.proto.bidirectional.Message.newBuilder().setMessage(text).build();
  }
}
