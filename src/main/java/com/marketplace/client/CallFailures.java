package com.marketplace.client;

import static com.marketplace.grpc.GrpcHeaders.GRPC_MESSAGE;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.marketplace.grpc.RpcException;
import com.marketplace.grpc.ServerCall;
import com.marketplace.grpc.StatusMessages;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.StreamResetException;
import io.vertx.grpc.common.GrpcError;
import io.vertx.grpc.common.GrpcErrorException;
import io.vertx.grpc.common.GrpcStatus;
import java.util.Base64;
import java.util.List;

/** How a {@link ClientCall} that did not end with OK fails. */
final class CallFailures {

  private CallFailures() {}

  /** A status the server sent, with its message and rich error details from the same metadata. */
  static RpcException ofStatus(GrpcStatus status, MultiMap metadata) {
    return new RpcException(status, StatusMessages.decode(metadata.get(GRPC_MESSAGE)), details(metadata));
  }

  /**
   * A failure of the stream or its connection. A stream the server refused, reset with
   * REFUSED_STREAM or beyond the last stream id of a GOAWAY it sent, is unprocessed: safe to send
   * again. One the GOAWAY names as received is not, even with no response header yet: the server
   * may be working on it.
   *
   * @param beyondGoAway whether a GOAWAY from the server names a last stream below this one
   */
  static RpcException ofError(Throwable error, boolean beyondGoAway) {
    Throwable cause = error instanceof StreamResetException reset ? GrpcErrorException.create(reset) : error;
    if (cause instanceof GrpcErrorException reset) {
      return reset.error() == GrpcError.UNAVAILABLE
          ? RpcException.unprocessed("Refused by the server before it started: " + cause.getMessage())
          : resetByServer(reset.status());
    }
    // Told apart by message: HttpClosedException.goAway() copies an already released buffer in 5.0.7.
    if (cause instanceof HttpClosedException closed && beyondGoAway
        && String.valueOf(closed.getMessage()).startsWith("Stream was closed (GOAWAY")) {
      return RpcException.unprocessed("Refused by the server before it started: " + cause.getMessage());
    }
    return new RpcException(GrpcStatus.UNAVAILABLE, "Connection failed: " + cause.getMessage());
  }

  private static RpcException resetByServer(GrpcStatus status) {
    return new RpcException(status, "Stream reset by the server: " + status.name());
  }

  /** The rich error details of {@code grpc-status-details-bin}, if any and well-formed. */
  private static List<Any> details(MultiMap metadata) {
    String encoded = metadata.get(ServerCall.STATUS_DETAILS);
    if (encoded == null) {
      return List.of();
    }
    try {
      return com.google.rpc.Status.parseFrom(Base64.getDecoder().decode(encoded)).getDetailsList();
    } catch (IllegalArgumentException | InvalidProtocolBufferException malformed) {
      return List.of();
    }
  }
}
