package com.marketplace.grpc;

import static com.marketplace.grpc.GrpcHeaders.GRPC_MESSAGE;
import static com.marketplace.grpc.GrpcHeaders.GRPC_STATUS;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.TypeRegistry;
import com.google.protobuf.util.JsonFormat;
import com.google.rpc.BadRequest;
import com.google.rpc.DebugInfo;
import com.google.rpc.ErrorInfo;
import com.google.rpc.Help;
import com.google.rpc.LocalizedMessage;
import com.google.rpc.PreconditionFailure;
import com.google.rpc.QuotaFailure;
import com.google.rpc.RequestInfo;
import com.google.rpc.ResourceInfo;
import com.google.rpc.RetryInfo;
import com.google.rpc.Status;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.transcoding.impl.GrpcTranscodingError;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The answer to an HTTP/JSON call that failed: the HTTP status vertx-grpc-transcoding maps the gRPC
 * status to, {@code grpc-status} and {@code grpc-message} headers, and as the body the call's
 * {@code google.rpc.Status} in JSON, rich error details included, as grpc-gateway and Envoy's
 * transcoder answer: {@code {"code": 5, "message": "...", "details": [...]}}. vertx-grpc-transcoding
 * 5.0.7 answers with an empty body.
 */
public final class JsonErrorBody {

  private static final Logger log = LoggerFactory.getLogger(JsonErrorBody.class);
  /** The details the server sends: google.rpc's standard error details. */
  private static final JsonFormat.Printer PRINTER = JsonFormat.printer()
      .usingTypeRegistry(TypeRegistry.newBuilder().add(BadRequest.getDescriptor()).add(DebugInfo.getDescriptor())
          .add(ErrorInfo.getDescriptor()).add(Help.getDescriptor()).add(LocalizedMessage.getDescriptor())
          .add(PreconditionFailure.getDescriptor()).add(QuotaFailure.getDescriptor()).add(RequestInfo.getDescriptor())
          .add(ResourceInfo.getDescriptor()).add(RetryInfo.getDescriptor()).build())
      .alwaysPrintFieldsWithNoPresence();

  private JsonErrorBody() {}

  /**
   * Ends {@code http} with {@code status}, not OK; {@code trailers} are the call's, its rich error
   * details ({@link ServerCall#STATUS_DETAILS}) among them, sent as headers as over gRPC trailers-only.
   */
  public static void end(HttpServerResponse http, GrpcStatus status, String statusMessage, MultiMap trailers) {
    String message = statusMessage == null ? "" : statusMessage;
    String body = json(status, message, trailers.get(ServerCall.STATUS_DETAILS));
    http.setStatusCode(GrpcTranscodingError.fromHttp2Code(status.code).getHttpStatusCode());
    http.headers().addAll(trailers)
        .set(HttpHeaders.CONTENT_TYPE, "application/json")
        .set(GRPC_STATUS, Integer.toString(status.code));
    if (!message.isEmpty()) {
      http.headers().set(GRPC_MESSAGE, StatusMessages.encode(message));
    }
    if (status == GrpcStatus.UNAUTHENTICATED) {
      // HTTP requires a 401 to name the scheme it takes (RFC 9110, 11.6.1): the server takes bearer tokens.
      http.headers().set("www-authenticate", "Bearer");
    }
    http.end(body);
  }

  private static String json(GrpcStatus status, String message, String details) {
    Status.Builder answer = Status.newBuilder().setCode(status.code).setMessage(message);
    try {
      if (details != null) {
        answer.addAllDetails(Status.parseFrom(Base64.getDecoder().decode(details)).getDetailsList());
      }
      return PRINTER.print(answer);
    } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
      // A detail of a type the registry lacks: the status without details still says what failed.
      log.warn("HTTP/JSON error details cannot be written as JSON: {}", e.getMessage());
      return printWithoutDetails(answer.clearDetails());
    }
  }

  private static String printWithoutDetails(Status.Builder answer) {
    try {
      return PRINTER.print(answer);
    } catch (InvalidProtocolBufferException impossible) {
      throw new IllegalStateException(impossible);
    }
  }
}
