package com.marketplace.server;

import static com.marketplace.grpc.GrpcHeaders.GRPC_MESSAGE;
import static com.marketplace.grpc.GrpcHeaders.GRPC_STATUS;

import com.marketplace.grpc.StatusMessages;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcProtocol;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Which protocol a request to the gRPC port speaks. One the port cannot serve is answered as grpc-java
 * answers it: an HTTP error with status INTERNAL and a message saying why, so that a gRPC client reads
 * INTERNAL where vertx-grpc 5.0.7's bare 415 reads as UNKNOWN. vertx-grpc would also take a gRPC call
 * made with GET or PUT.
 */
final class RequestProtocols {

  /** The content types vertx-grpc 5.0.7 serves, each with its protocol. */
  private static final Map<String, GrpcProtocol> PROTOCOLS = new HashMap<>();

  static {
    for (GrpcProtocol protocol : GrpcProtocol.values()) {
      PROTOCOLS.put(protocol.mediaType(), protocol);
      if (protocol != GrpcProtocol.TRANSCODING) {
        PROTOCOLS.put(protocol.mediaType() + "+proto", protocol);
        PROTOCOLS.put(protocol.mediaType() + "+json", protocol);
      }
    }
  }

  private RequestProtocols() {}

  /** The protocol {@code request} speaks; null when the gRPC server cannot serve it, and it was answered. */
  static GrpcProtocol of(HttpServerRequest request) {
    String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
    GrpcProtocol protocol = contentType == null ? null : PROTOCOLS.get(contentType);
    if (protocol == null && contentType != null) {
      protocol = asMediaType(request, contentType);
    }
    if (protocol == null) {
      refuse(request, 415, contentType == null ? "Content-Type is missing from the request"
          : "Content-Type '" + contentType + "' is not supported");
    } else if (!protocol.accepts(request.version())) {
      refuse(request, 415, "Content-Type '" + contentType + "' needs HTTP/2");
    } else if (protocol != GrpcProtocol.TRANSCODING && request.method() != HttpMethod.POST) {
      refuse(request, 405, "Method '" + request.method() + "' is not supported");
    } else {
      return protocol;
    }
    return null;
  }

  /**
   * A media type is case-insensitive and may carry parameters (RFC 9110, 8.3.1), and grpc-java takes
   * {@code Application/GRPC; charset=utf-8} as application/grpc. vertx-grpc 5.0.7 compares the header
   * exactly, so a content type served this way is set to its bare media type.
   */
  private static GrpcProtocol asMediaType(HttpServerRequest request, String contentType) {
    int parameters = contentType.indexOf(';');
    String mediaType = (parameters < 0 ? contentType : contentType.substring(0, parameters)).strip().toLowerCase(Locale.ROOT);
    GrpcProtocol protocol = PROTOCOLS.get(mediaType);
    if (protocol != null) {
      request.headers().set(HttpHeaders.CONTENT_TYPE, mediaType);
    }
    return protocol;
  }

  private static void refuse(HttpServerRequest request, int httpStatus, String message) {
    request.response().setStatusCode(httpStatus)
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
        .putHeader(GRPC_STATUS, GrpcStatus.INTERNAL.toString())
        .putHeader(GRPC_MESSAGE, StatusMessages.encode(message))
        .end(message);
  }
}
