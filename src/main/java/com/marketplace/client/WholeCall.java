package com.marketplace.client;

import static com.marketplace.grpc.GrpcHeaders.CANCEL;
import static com.marketplace.grpc.GrpcHeaders.GRPC_ACCEPT_ENCODING;
import static com.marketplace.grpc.GrpcHeaders.GRPC_CONTENT_TYPE;
import static com.marketplace.grpc.GrpcHeaders.GRPC_ENCODING;
import static com.marketplace.grpc.GrpcHeaders.GRPC_STATUS;
import static com.marketplace.grpc.GrpcHeaders.GZIP;

import com.marketplace.grpc.BodyMessages;
import com.marketplace.grpc.FlushCoalescing;
import com.marketplace.grpc.GrpcTimeout;
import com.marketplace.grpc.MessageCodec;
import com.marketplace.grpc.RpcException;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.common.GrpcMessage;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import java.util.ArrayList;
import java.util.List;

/**
 * A whole call, every request message known when it starts, made on Vert.x's HTTP/2 client request
 * itself: headers and all request messages go out in one write that ends the stream, and the answer
 * is read from the HTTP response with {@link BodyMessages}. vertx-grpc 5.0.7's request and response
 * objects, deframer and message queue, which a whole call does not need, are left out: the
 * {@code load} client's CPU per unary call fell by 0.35 to 1.5 µs in three of four A/Bs, and rose by
 * 1.2 µs in the fourth ({@code bench/results/changes.md}). Calls that stream requests stay with
 * {@link ClientCall}.
 *
 * <p>It ends as {@link ClientCall} does: the status from the trailers (or the headers, trailers-only)
 * with its message and details, DEADLINE_EXCEEDED when its deadline passes, a reset's status, a
 * refused stream as unprocessed. A response that is not gRPC ends with the status the gRPC spec
 * maps its HTTP status to.
 */
final class WholeCall<Req, Resp> {

  private static final CharSequence TE = HttpHeaders.createOptimized("te");
  private static final CharSequence TRAILERS = HttpHeaders.createOptimized("trailers");

  private final ServiceMethod<Resp, Req> method;
  private final CallOptions options;
  private final long maxMessageSize;
  private final HttpClientRequest request;
  private final Promise<CallResult<Resp>> result = Promise.promise();
  private final ResponseMessages<Resp> messages;
  private final CallDeadline deadline;
  private HttpClientResponse response;
  /** Set when this side ended the call (deadline, bad answer); errors after that are its echo. */
  private boolean aborted;

  private WholeCall(Vertx vertx, ServiceMethod<Resp, Req> method, CallOptions options, long maxMessageSize,
                    HttpClientRequest request) {
    this.method = method;
    this.options = options;
    this.maxMessageSize = maxMessageSize;
    this.request = request;
    this.messages = new ResponseMessages<>(method.decoder(), maxMessageSize, options);
    this.deadline = new CallDeadline(vertx);
  }

  /** Sends every request, half-closes, and completes with what came back; fails with an {@link RpcException}. */
  static <Req, Resp> Future<CallResult<Resp>> call(Vertx vertx, HttpClient http, SocketAddress server,
                                                   ServiceMethod<Resp, Req> method, CallOptions requested,
                                                   long maxMessageSize, List<Req> requests) {
    CallOptions options;
    try {
      options = ClientCall.withPropagatedDeadline(requested);
    } catch (RpcException expired) {
      return Future.failedFuture(expired);
    }
    RequestOptions target = new RequestOptions().setMethod(HttpMethod.POST).setServer(server)
        .setURI(method.serviceName().pathOf(method.methodName()));
    return http.request(target)
        .recover(error -> Future.failedFuture(RpcException.unprocessed("cannot reach " + server + ": " + error.getMessage())))
        .compose(request -> new WholeCall<>(vertx, method, options, maxMessageSize, request).send(requests));
  }

  private Future<CallResult<Resp>> send(List<Req> requests) {
    ClientCall.prepare(request.connection());
    MultiMap headers = request.headers();
    headers.addAll(options.metadata());
    headers.set(HttpHeaders.CONTENT_TYPE, GRPC_CONTENT_TYPE);
    if (options.compress()) {
      headers.set(GRPC_ENCODING, GZIP);
    }
    headers.set(GRPC_ACCEPT_ENCODING, GZIP);
    headers.set(TE, TRAILERS);
    if (options.timeout() != null) {
      long millis = CallDeadline.millis(options.timeout());
      headers.set(GrpcTimeout.HEADER, GrpcTimeout.header(millis));
      deadline.start(options.timeout(), this::abort);
    }
    // No content-length: no gRPC client sends one, and each server would parse and check it.
    request.setChunked(true);
    request.exceptionHandler(this::fail);
    request.response().onComplete(this::answered);
    if (requests.isEmpty()) {
      request.end();
    } else {
      request.end(body(requests));
    }
    FlushCoalescing.flushEnded(request.connection());
    return result.future();
  }

  /** Every request message behind its prefix, compressed if the options say so. */
  private Buffer body(List<Req> requests) {
    List<GrpcMessage> encoded = new ArrayList<>(requests.size());
    for (Req message : requests) {
      encoded.add(ClientCall.encode(method, message, options.compress()));
    }
    return MessageCodec.framed(encoded);
  }

  private void answered(AsyncResult<HttpClientResponse> answer) {
    if (answer.failed()) {
      fail(answer.cause());
      return;
    }
    response = answer.result();
    response.exceptionHandler(this::fail);
    if (response.getHeader(GRPC_STATUS) == null && !isGrpc(response.getHeader(HttpHeaders.CONTENT_TYPE))) {
      abort(statusOfHttp(response.statusCode()), "Not a gRPC response: HTTP status " + response.statusCode()
          + ", content-type " + response.getHeader(HttpHeaders.CONTENT_TYPE));
      return;
    }
    BodyMessages body = new BodyMessages(response, response.getHeader(GRPC_ENCODING), maxMessageSize);
    body.tooLargeHandler(() -> abort(GrpcStatus.RESOURCE_EXHAUSTED, "Response message larger than " + maxMessageSize + " bytes"));
    body.messageHandler(this::receive);
    body.endHandler(v -> finish());
  }

  private static boolean isGrpc(String contentType) {
    return contentType != null && (contentType.equals("application/grpc") || contentType.startsWith("application/grpc+")
        || contentType.startsWith("application/grpc;"));
  }

  /** The gRPC status for an HTTP status that came without one, as gRPC's HTTP-to-gRPC mapping gives it. */
  static GrpcStatus statusOfHttp(int httpStatus) {
    return switch (httpStatus) {
      case 400 -> GrpcStatus.INTERNAL;
      case 401 -> GrpcStatus.UNAUTHENTICATED;
      case 403 -> GrpcStatus.PERMISSION_DENIED;
      case 404 -> GrpcStatus.UNIMPLEMENTED;
      case 429, 502, 503, 504 -> GrpcStatus.UNAVAILABLE;
      default -> GrpcStatus.UNKNOWN;
    };
  }

  private void receive(GrpcMessage message) {
    try {
      messages.decode(message);
    } catch (RpcException e) {
      abort(e.status(), e.getMessage());
    }
  }

  private void finish() {
    deadline.stop();
    // A trailers-only answer carries its status in the headers, any other in the trailers.
    MultiMap metadata = response.headers().contains(GRPC_STATUS) ? response.headers() : response.trailers();
    GrpcStatus status = status(metadata.get(GRPC_STATUS));
    if (status == GrpcStatus.OK) {
      result.tryComplete(messages.result(response.headers(), response.trailers()));
    } else if (status == null) {
      result.tryFail(new RpcException(GrpcStatus.UNKNOWN, "Response ended without a valid grpc-status"));
    } else {
      result.tryFail(CallFailures.ofStatus(status, metadata));
    }
  }

  private static GrpcStatus status(String code) {
    try {
      return code == null ? null : GrpcStatus.valueOf(Integer.parseInt(code));
    } catch (NumberFormatException malformed) {
      return null;
    }
  }

  private void abort(GrpcStatus status, String message) {
    if (result.future().isComplete()) {
      return;
    }
    aborted = true;
    deadline.stop();
    result.tryFail(new RpcException(status, message));
    request.reset(CANCEL);
  }

  private void fail(Throwable error) {
    if (aborted || result.future().isComplete()) {
      return;
    }
    deadline.stop();
    result.tryFail(CallFailures.ofError(error, response != null));
  }
}
