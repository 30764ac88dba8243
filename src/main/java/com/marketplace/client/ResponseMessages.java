package com.marketplace.client;

import com.marketplace.grpc.MessageCodec;
import com.marketplace.grpc.RpcException;
import io.vertx.core.MultiMap;
import io.vertx.grpc.common.GrpcMessage;
import io.vertx.grpc.common.GrpcMessageDecoder;
import java.util.ArrayList;
import java.util.List;

/** A call's response messages, decoded, and kept for its result unless the options say otherwise. */
final class ResponseMessages<Resp> {

  private final GrpcMessageDecoder<Resp> decoder;
  private final long maxMessageSize;
  private final boolean keep;
  private final List<Resp> messages = new ArrayList<>(1);
  private final List<Boolean> compressed = new ArrayList<>(1);

  ResponseMessages(GrpcMessageDecoder<Resp> decoder, long maxMessageSize, CallOptions options) {
    this.decoder = decoder;
    this.maxMessageSize = maxMessageSize;
    this.keep = options.keepMessages();
  }

  /** The message's value, kept if the call keeps its messages; an {@link RpcException} if it cannot be decoded. */
  Resp decode(GrpcMessage message) {
    Resp decoded = MessageCodec.decode(decoder, message, maxMessageSize);
    if (keep) {
      messages.add(decoded);
      compressed.add(MessageCodec.isCompressed(message));
    }
    return decoded;
  }

  CallResult<Resp> result(MultiMap headers, MultiMap trailers) {
    return new CallResult<>(List.copyOf(messages), List.copyOf(compressed), headers, trailers);
  }
}
