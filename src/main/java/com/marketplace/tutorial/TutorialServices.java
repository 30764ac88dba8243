package com.marketplace.tutorial;

import com.marketplace.grpc.RpcService;
import com.marketplace.grpc.ServerCall;
import com.marketplace.proto.bidirectional.BidirectionalGrpcService;
import com.marketplace.proto.unary.Message;
import com.marketplace.proto.unary.MessageResponse;
import com.marketplace.proto.unary.UnaryGrpcService;
import io.vertx.core.Future;
import io.vertx.core.streams.ReadStream;

/** The two tutorial services, {@code unary.Unary} and {@code bidirectional.Bidirectional}. */
public final class TutorialServices {

  private TutorialServices() {}

  public static RpcService unary() {
    return RpcService.builder(UnaryGrpcService.SERVICE_NAME, UnaryGrpcService.SERVICE_DESCRIPTOR)
        .unary(UnaryGrpcService.GetServerResponse, TutorialServices::acknowledge)
        .build();
  }

  public static RpcService bidirectional() {
    return RpcService.builder(BidirectionalGrpcService.SERVICE_NAME, BidirectionalGrpcService.SERVICE_DESCRIPTOR)
        .bidiStreaming(BidirectionalGrpcService.GetServerResponse, TutorialServices::answerEach)
        .build();
  }

  /** Unary: acknowledges the message. */
  static Future<MessageResponse> acknowledge(Message message, ServerCall<Message, MessageResponse> call) {
    return Future.succeededFuture(MessageResponse.newBuilder().setMessage(reply(message.getMessage())).setReceived(true).build());
  }

  /** Bidirectional: answers each message as it arrives, until the client ends its stream. */
  static Future<Void> answerEach(ReadStream<com.marketplace.proto.bidirectional.Message> messages,
                                 ServerCall<com.marketplace.proto.bidirectional.Message, com.marketplace.proto.bidirectional.Message> call) {
    return call.answerEach(messages,
        message -> com.marketplace.proto.bidirectional.Message.newBuilder().setMessage(reply(message.getMessage())).build());
  }

  static String reply(String message) {
    return "Hello I am up and running. Received '" + message + "' message from you";
  }
}
