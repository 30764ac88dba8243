package com.marketplace.conformance;

import com.google.protobuf.ByteString;
import com.marketplace.grpc.RpcException;
import io.grpc.testing.integration.Messages.Payload;
import io.grpc.testing.integration.Messages.PayloadType;
import io.netty.util.collection.IntObjectHashMap;
import io.vertx.grpc.common.GrpcStatus;

/** Zero-filled payloads of a requested size; the few sizes a test or benchmark uses are made once. */
final class Payloads {

  private static final int CACHED_SIZES = 64;
  /**
   * Replaced, never changed, when a size is added: every call reads it without a lock, and looks a
   * size up without boxing it.
   */
  private static volatile IntObjectHashMap<Payload> cache = new IntObjectHashMap<>();

  private Payloads() {}

  static Payload ofSize(int size) {
    if (size < 0) {
      throw RpcException.invalidArgument("payload size must be >= 0, got " + size);
    }
    Payload cached = cache.get(size);
    if (cached != null) {
      return cached;
    }
    Payload payload = Payload.newBuilder().setType(PayloadType.COMPRESSABLE).setBody(ByteString.copyFrom(new byte[size])).build();
    remember(size, payload);
    return payload;
  }

  private static synchronized void remember(int size, Payload payload) {
    if (cache.size() < CACHED_SIZES && cache.get(size) == null) {
      IntObjectHashMap<Payload> next = new IntObjectHashMap<>(CACHED_SIZES);
      next.putAll(cache);
      next.put(size, payload);
      cache = next;
    }
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
