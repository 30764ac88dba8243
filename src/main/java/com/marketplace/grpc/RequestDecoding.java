package com.marketplace.grpc;

import io.vertx.core.buffer.Buffer;
import io.vertx.grpc.common.CodecException;
import io.vertx.grpc.common.GrpcMessage;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcStatus;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * Turns a request message into its value, with a status for each way that can fail, where
 * vertx-grpc 5.0.7 would reset the stream: unknown compression, a gzip body that does not inflate
 * or inflates past the size limit, bytes that are not the expected message.
 */
final class RequestDecoding {

  private RequestDecoding() {}

  static <T> T decode(GrpcMessageDecoder<T> decoder, GrpcMessage message, long maxMessageSize) {
    Buffer payload = switch (message.encoding()) {
      case "identity" -> message.payload();
      case "gzip" -> gunzip(message.payload(), maxMessageSize);
      default -> throw new RpcException(GrpcStatus.UNIMPLEMENTED, "Unsupported message encoding " + message.encoding());
    };
    try {
      return decoder.decode(GrpcMessage.message("identity", message.format(), payload));
    } catch (CodecException | IllegalArgumentException | ClassCastException e) {
      throw new RpcException(GrpcStatus.INTERNAL, "Invalid request message: cannot parse it as the method's request type");
    }
  }

  private static Buffer gunzip(Buffer compressed, long maxMessageSize) {
    int limit = (int) Math.min(maxMessageSize, Integer.MAX_VALUE - 1);
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed.getBytes()))) {
      byte[] inflated = in.readNBytes(limit + 1);
      if (inflated.length > limit) {
        throw new RpcException(GrpcStatus.RESOURCE_EXHAUSTED, "Decompressed request message larger than " + limit + " bytes");
      }
      return Buffer.buffer(inflated);
    } catch (IOException e) {
      throw new RpcException(GrpcStatus.INTERNAL, "Cannot decompress request message: " + e.getMessage());
    }
  }
}
