package com.marketplace.grpc;

import static com.marketplace.grpc.GrpcHeaders.GRPC_ENCODING;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.grpc.common.CodecException;
import io.vertx.grpc.common.GrpcMessage;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.WireFormat;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Message compression and decoding, for both ends of a call.
 *
 * <p>Decoding fails with a status for each way it can go wrong, where vertx-grpc 5.0.7 would reset
 * the stream: unknown compression, a gzip body that does not inflate or inflates past the size
 * limit, bytes that are not the expected message.
 *
 * <p>Protobuf messages skip a copy each way: vertx-grpc's encoder copies the serialized bytes into a
 * second buffer, and its decoder copies the payload into an array before parsing it.
 */
public final class MessageCodec {

  /**
   * Stands for "no grpc-encoding header" on a request. vertx-grpc 5.0.7's deframer fails with an
   * unhandled exception, and never answers, when such a request holds a compressed message; with
   * this value it hands the message over and {@link #decode} answers INTERNAL, as the spec asks.
   */
  public static final String UNSPECIFIED_ENCODING = "x-unspecified";
  /** The encoding of a message that is not compressed. */
  public static final String IDENTITY = "identity";
  /** What precedes each message on the wire: a compression flag and a 4-byte length. */
  public static final int PREFIX_BYTES = 5;
  /** The status message of a call whose request body ends inside a message, on either of the server's paths. */
  public static final String REQUEST_ENDED_INSIDE_A_MESSAGE = "Request body ended inside a message";

  /** Decoders are made once per method; the bound only guards against code that makes one per call. */
  private static final int KNOWN_PARSERS = 256;
  /**
   * The parser behind each protobuf decoder, learnt from the first message it decoded: a decoder
   * does not expose its parser, and the message type it returns names it.
   */
  private static final Map<GrpcMessageDecoder<?>, Parser<?>> PARSERS = new ConcurrentHashMap<>();

  private MessageCodec() {}

  /** The message's bytes in the call's wire format. */
  public static <T> GrpcMessage encode(GrpcMessageEncoder<T> encoder, T message, WireFormat format) {
    if (format == WireFormat.PROTOBUF && message instanceof MessageLite protobuf) {
      return GrpcMessage.message(IDENTITY, BufferInternal.buffer(Unpooled.wrappedBuffer(protobuf.toByteArray())));
    }
    return encoder.encode(message, format);
  }

  /** Whether the message's payload is compressed: any encoding but identity. */
  public static boolean isCompressed(GrpcMessage message) {
    return !IDENTITY.equals(message.encoding());
  }

  /** The message behind its prefix, flagged compressed unless its encoding is identity. */
  public static Buffer framed(GrpcMessage message) {
    return appendFramed(Buffer.buffer(PREFIX_BYTES + message.payload().length()), message);
  }

  /** The messages behind their prefixes, in one buffer, as {@link #framed(GrpcMessage)} frames each. */
  public static Buffer framed(List<GrpcMessage> messages) {
    int length = 0;
    for (GrpcMessage message : messages) {
      length += PREFIX_BYTES + message.payload().length();
    }
    Buffer framed = Buffer.buffer(length);
    for (GrpcMessage message : messages) {
      appendFramed(framed, message);
    }
    return framed;
  }

  private static Buffer appendFramed(Buffer framed, GrpcMessage message) {
    Buffer payload = message.payload();
    return framed.appendByte((byte) (isCompressed(message) ? 1 : 0)).appendInt(payload.length()).appendBuffer(payload);
  }

  /** Marks a request without {@code grpc-encoding}; call before the gRPC server sees the request. */
  public static void markUnspecifiedEncoding(HttpServerRequest request) {
    if (!request.headers().contains(GRPC_ENCODING)) {
      request.headers().set(GRPC_ENCODING, UNSPECIFIED_ENCODING);
    }
  }

  /** The message's value, whether it arrived compressed or not. */
  public static <T> T decode(GrpcMessageDecoder<T> decoder, GrpcMessage message, long maxMessageSize) {
    Buffer payload = switch (message.encoding()) {
      case IDENTITY -> message.payload();
      case "gzip" -> gunzip(message.payload(), maxMessageSize);
      case UNSPECIFIED_ENCODING -> throw new RpcException(GrpcStatus.INTERNAL, "Compressed message without a grpc-encoding header");
      default -> throw new RpcException(GrpcStatus.UNIMPLEMENTED, "Unsupported message encoding " + message.encoding());
    };
    try {
      boolean protobufFormat = message.format() == WireFormat.PROTOBUF;
      @SuppressWarnings("unchecked")
      Parser<T> parser = protobufFormat ? (Parser<T>) PARSERS.get(decoder) : null;
      if (parser != null) {
        return parser.parseFrom(((BufferInternal) payload).getByteBuf().nioBuffer());
      }
      T value = decoder.decode(GrpcMessage.message(IDENTITY, message.format(), payload));
      if (protobufFormat && value instanceof MessageLite protobuf && PARSERS.size() < KNOWN_PARSERS) {
        PARSERS.putIfAbsent(decoder, protobuf.getParserForType());
      }
      return value;
    } catch (InvalidProtocolBufferException | CodecException | IllegalArgumentException | ClassCastException e) {
      String invalid = "Invalid message: cannot parse it as the method's message type";
      // A JSON parser's reason (an unknown field, say) helps the caller; a protobuf parser's does not.
      throw new RpcException(GrpcStatus.INTERNAL,
          message.format() == WireFormat.JSON ? invalid + ": " + Causes.innermost(e).getMessage() : invalid);
    }
  }


  /** The message's protobuf bytes gzip-compressed, marked as such. */
  public static GrpcMessage gzip(GrpcMessage message) {
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(compressed)) {
      out.write(message.payload().getBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return GrpcMessage.message("gzip", message.format(), Buffer.buffer(compressed.toByteArray()));
  }

  private static Buffer gunzip(Buffer compressed, long maxMessageSize) {
    int limit = (int) Math.min(maxMessageSize, Integer.MAX_VALUE - 1);
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed.getBytes()))) {
      byte[] inflated = in.readNBytes(limit + 1);
      if (inflated.length > limit) {
        throw new RpcException(GrpcStatus.RESOURCE_EXHAUSTED, "Decompressed message larger than " + limit + " bytes");
      }
      return Buffer.buffer(inflated);
    } catch (IOException e) {
      throw new RpcException(GrpcStatus.INTERNAL, "Cannot decompress message: " + e.getMessage());
    }
  }
}
