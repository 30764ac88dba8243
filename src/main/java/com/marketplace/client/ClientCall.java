package com.marketplace.client;

import com.marketplace.grpc.MessageCodec;
import com.marketplace.grpc.RpcException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.common.GrpcErrorException;
import io.vertx.grpc.common.GrpcMessage;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.WireFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One client call of any kind, over vertx-grpc-client, ending with the true status.
 *
 * <p>Work-arounds for vertx-grpc 5.0.7, each in one place:
 * <ul>
 *   <li>a status message sent in trailers, after messages, is read from the trailers
 *       ({@code statusMessage()} only reads headers), see {@link #finish};</li>
 *   <li>an expired deadline is DEADLINE_EXCEEDED, not the CANCELLED of vertx's own timer: the
 *       deadline is sent as {@code grpc-timeout} and enforced by this class, see {@link #expire};</li>
 *   <li>a non-OK status after messages fails the call, where the generated streaming clients would
 *       end normally, see {@link #finish}.</li>
 * </ul>
 */
public final class ClientCall<Req, Resp> {

  private final Vertx vertx;
  private final ServiceMethod<Resp, Req> method;
  private final GrpcClientRequest<Req, Resp> request;
  private final CallOptions options;
  private final long maxMessageSize;
  private final Handler<Resp> onMessage;
  private final Promise<CallResult<Resp>> result = Promise.promise();
  private final List<Resp> messages = new ArrayList<>();
  private final List<Boolean> compressed = new ArrayList<>();
  private GrpcStatus localStatus;
  private long deadlineTimer = -1;

  private ClientCall(Vertx vertx, ServiceMethod<Resp, Req> method, GrpcClientRequest<Req, Resp> request,
                     CallOptions options, long maxMessageSize, Handler<Resp> onMessage) {
    this.vertx = vertx;
    this.method = method;
    this.request = request;
    this.options = options;
    this.maxMessageSize = maxMessageSize;
    this.onMessage = onMessage;
  }

  /**
   * Opens a call; {@code onMessage} sees each response message as it arrives, and the call's
   * {@link #result()} also collects them.
   */
  public static <Req, Resp> Future<ClientCall<Req, Resp>> start(GrpcClient client, SocketAddress server,
                                                                ServiceMethod<Resp, Req> method, CallOptions options,
                                                                long maxMessageSize, Handler<Resp> onMessage) {
    return client.request(server, method)
        .recover(error -> Future.failedFuture(new RpcException(GrpcStatus.UNAVAILABLE,
            "cannot reach " + server + ": " + error.getMessage())))
        .map(request -> {
          // Runs on the call's context: its Vert.x runs the deadline timer.
          Vertx vertx = Vertx.currentContext().owner();
          ClientCall<Req, Resp> call = new ClientCall<>(vertx, method, request, options, maxMessageSize, onMessage);
          call.open();
          return call;
        });
  }

  /** A whole call: sends every request, half-closes, and completes with what came back. */
  public static <Req, Resp> Future<CallResult<Resp>> call(GrpcClient client, SocketAddress server,
                                                          ServiceMethod<Resp, Req> method, CallOptions options,
                                                          long maxMessageSize, List<Req> requests) {
    return start(client, server, method, options, maxMessageSize, message -> { }).compose(call -> {
      requests.forEach(call::write);
      call.end();
      return call.result();
    });
  }

  private void open() {
    request.headers().addAll(options.metadata());
    if (options.compress()) {
      // Declared here rather than with encoding("gzip"), so that each message may still go uncompressed.
      request.headers().set("grpc-encoding", "gzip");
    }
    if (options.timeout() != null) {
      long millis = Math.max(1, options.timeout().toMillis());
      request.timeout(millis, TimeUnit.MILLISECONDS);
      deadlineTimer = vertx.setTimer(millis, id -> expire());
    }
    request.response().onComplete(ready -> {
      if (ready.failed()) {
        fail(ready.cause());
        return;
      }
      GrpcClientResponse<Req, Resp> response = ready.result();
      response.messageHandler(message -> receive(response, message));
      response.exceptionHandler(this::fail);
      response.endHandler(v -> finish(response));
    });
  }

  /** Sends a request message, compressed if the options say so. */
  public Future<Void> write(Req message) {
    return write(message, options.compress());
  }

  /** Sends a request message; compression needs {@link CallOptions#withCompression()}. */
  public Future<Void> write(Req message, boolean compress) {
    GrpcMessage encoded = method.encoder().encode(message, WireFormat.PROTOBUF);
    return request.writeMessage(compress ? MessageCodec.gzip(encoded) : encoded);
  }

  /** Half-closes: no more request messages. */
  public Future<Void> end() {
    return request.end();
  }

  /** Cancels the call; it ends with CANCELLED. */
  public void cancel() {
    abort(GrpcStatus.CANCELLED, "Cancelled by the client");
  }

  /** Completes with the messages and metadata when the call ends with OK; fails with an {@link RpcException} otherwise. */
  public Future<CallResult<Resp>> result() {
    return result.future();
  }

  private void receive(GrpcClientResponse<Req, Resp> response, GrpcMessage message) {
    Resp decoded;
    try {
      decoded = MessageCodec.decode(method.decoder(), message, maxMessageSize);
    } catch (RpcException e) {
      abort(e.status(), e.getMessage());
      return;
    }
    messages.add(decoded);
    compressed.add(!"identity".equals(message.encoding()));
    onMessage.handle(decoded);
  }

  private void expire() {
    deadlineTimer = -1;
    abort(GrpcStatus.DEADLINE_EXCEEDED, "Deadline exceeded after " + options.timeout().toMillis() + " ms");
  }

  private void abort(GrpcStatus status, String message) {
    if (result.future().isComplete()) {
      return;
    }
    localStatus = status;
    request.cancel();
    failWith(status, message);
  }

  private void finish(GrpcClientResponse<Req, Resp> response) {
    GrpcStatus status = response.status();
    if (status == GrpcStatus.OK) {
      stopTimer();
      result.tryComplete(new CallResult<>(List.copyOf(messages), List.copyOf(compressed), response.headers(), response.trailers()));
      return;
    }
    // A trailers-only answer carries its message in the headers, any other in the trailers.
    String message = response.headers().get("grpc-message");
    if (message == null) {
      message = response.trailers().get("grpc-message");
    }
    failWith(status, StatusMessages.decode(message));
  }

  private void fail(Throwable error) {
    if (localStatus != null || result.future().isComplete()) {
      return;
    }
    if (error instanceof GrpcErrorException reset) {
      failWith(reset.status(), "Stream reset by the server: " + reset.status());
    } else {
      failWith(GrpcStatus.UNAVAILABLE, "Connection failed: " + error.getMessage());
    }
  }

  private void failWith(GrpcStatus status, String message) {
    stopTimer();
    result.tryFail(new RpcException(status, message));
  }

  private void stopTimer() {
    if (deadlineTimer >= 0) {
      vertx.cancelTimer(deadlineTimer);
      deadlineTimer = -1;
    }
  }
}
