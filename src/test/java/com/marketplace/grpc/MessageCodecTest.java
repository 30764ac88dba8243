package com.marketplace.grpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.marketplace.proto.product.GetProductRequest;
import com.marketplace.proto.product.ProductServiceGrpcClient;
import io.vertx.core.buffer.Buffer;
import io.vertx.grpc.common.GrpcMessage;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.WireFormat;
import org.junit.jupiter.api.Test;

/**
 * Protobuf messages are encoded and decoded without vertx-grpc's extra copies, to the same bytes and
 * values, and a payload that does not parse is INTERNAL whether or not its decoder's parser is known.
 */
class MessageCodecTest {

  private static final GetProductRequest REQUEST = GetProductRequest.newBuilder().setProductId("p-1").build();
  private static final long LIMIT = 4 * 1024 * 1024;

  @Test
  void aProtobufMessageIsEncodedToItsSerializedBytes() {
    GrpcMessage encoded = MessageCodec.encode(ProductServiceGrpcClient.GetProduct.encoder(), REQUEST, WireFormat.PROTOBUF);
    assertEquals("identity", encoded.encoding());
    assertArrayEquals(REQUEST.toByteArray(), encoded.payload().getBytes());
  }

  @Test
  void theFirstAndLaterMessagesOfADecoderDecodeAlike() {
    GrpcMessageDecoder<GetProductRequest> decoder = freshDecoder();
    for (int i = 0; i < 3; i++) {
      GetProductRequest request = GetProductRequest.newBuilder().setProductId("p-" + i).build();
      assertEquals(request, MessageCodec.decode(decoder, message(request.toByteArray()), LIMIT));
    }
  }

  @Test
  void aPayloadThatDoesNotParseIsInternalBeforeAndAfterTheParserIsKnown() {
    GrpcMessageDecoder<GetProductRequest> decoder = freshDecoder();
    byte[] truncated = {0x0A, 0x05, 'p'};  // field 1 announces 5 bytes and holds 1
    assertEquals(GrpcStatus.INTERNAL, decodeFailure(decoder, truncated).status());
    assertEquals(REQUEST, MessageCodec.decode(decoder, message(REQUEST.toByteArray()), LIMIT));
    assertEquals(GrpcStatus.INTERNAL, decodeFailure(decoder, truncated).status());
  }

  private static RpcException decodeFailure(GrpcMessageDecoder<GetProductRequest> decoder, byte[] payload) {
    return assertThrows(RpcException.class, () -> MessageCodec.decode(decoder, message(payload), LIMIT));
  }

  /** A decoder of its own, whose parser {@link MessageCodec} has not learnt yet. */
  private static GrpcMessageDecoder<GetProductRequest> freshDecoder() {
    return GrpcMessageDecoder.decoder(GetProductRequest.newBuilder());
  }

  private static GrpcMessage message(byte[] payload) {
    return GrpcMessage.message("identity", Buffer.buffer(payload));
  }
}
