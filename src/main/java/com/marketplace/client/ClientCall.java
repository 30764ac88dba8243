package com.marketplace.client;

import com.marketplace.grpc.ConnectionChannel;
import com.marketplace.grpc.FlushCoalescing;
import com.marketplace.grpc.MessageCodec;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.marketplace.grpc.RpcException;
import com.marketplace.grpc.ServerCall;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.SocketAddress;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.common.GrpcError;
import io.vertx.grpc.common.GrpcErrorException;
import io.vertx.grpc.common.GrpcLocal;
import io.vertx.grpc.common.GrpcMessage;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.WireFormat;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

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

  /** Marks a connection {@link #prepare}d. */
  private static final AttributeKey<Boolean> PREPARED = AttributeKey.valueOf(ClientCall.class, "prepared");

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
  private GrpcClientResponse<Req, Resp> response;
  private boolean paused;

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
   * {@link #result()} also collects them unless the options say {@link CallOptions#withoutKeepingMessages()}.
   */
  public static <Req, Resp> Future<ClientCall<Req, Resp>> start(GrpcClient client, SocketAddress server,
                                                                ServiceMethod<Resp, Req> method, CallOptions requested,
                                                                long maxMessageSize, Handler<Resp> onMessage) {
    CallOptions options;
    try {
      options = withPropagatedDeadline(requested);
    } catch (RpcException expired) {
      return Future.failedFuture(expired);
    }
    return client.request(server, method)
        .recover(error -> Future.failedFuture(RpcException.unprocessed("cannot reach " + server + ": " + error.getMessage())))
        .map(request -> {
          // Runs on the call's context: its Vert.x runs the deadline timer.
          Vertx vertx = Vertx.currentContext().owner();
          ClientCall<Req, Resp> call = new ClientCall<>(vertx, method, request, options, maxMessageSize, onMessage);
          call.open();
          return call;
        });
  }

  /**
   * Inside a server call, a downstream call gets at most the time the incoming call has left
   * (vertx-grpc's deadline propagation); if none is left, it fails at once with DEADLINE_EXCEEDED
   * instead of vertx-grpc's {@code UnsupportedOperationException}.
   */
  private static CallOptions withPropagatedDeadline(CallOptions options) {
    GrpcLocal incoming = GrpcLocal.current();
    if (incoming == null) {
      return options;
    }
    Duration left = Duration.between(Instant.now(), incoming.deadline());
    if (left.isNegative() || left.isZero()) {
      throw new RpcException(GrpcStatus.DEADLINE_EXCEEDED, "Deadline of the incoming call already expired");
    }
    return options.timeout() == null || left.compareTo(options.timeout()) < 0 ? options.withTimeout(left) : options;
  }

  /** A whole call: sends every request, half-closes, and completes with what came back. */
  public static <Req, Resp> Future<CallResult<Resp>> call(GrpcClient client, SocketAddress server,
                                                          ServiceMethod<Resp, Req> method, CallOptions options,
                                                          long maxMessageSize, List<Req> requests) {
    return start(client, server, method, options, maxMessageSize, message -> { }).compose(call -> {
      if (requests.isEmpty()) {
        call.end();
      } else {
        requests.subList(0, requests.size() - 1).forEach(call::write);
        call.end(requests.get(requests.size() - 1));
      }
      return call.result();
    });
  }

  /** Once per connection, on its first call: flush coalescing, and no reset-flood limit (see ResetFloodLimit). */
  private static void prepare(HttpConnection connection) {
    Channel channel = ConnectionChannel.of(connection);
    if (channel != null && channel.attr(PREPARED).setIfAbsent(Boolean.TRUE) == null) {
      FlushCoalescing.install(connection);
      ResetFloodLimit.lift(channel);
    }
  }

  private void open() {
    prepare(request.connection());
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
      response = ready.result();
      response.messageHandler(message -> receive(response, message));
      response.exceptionHandler(this::fail);
      // A reset's code comes here; the exception handler then only hears that the stream closed.
      response.errorHandler(error -> resetByServer(error == null ? GrpcStatus.INTERNAL : error.status));
      response.endHandler(v -> finish(response));
      if (paused) {
        response.pause();
      }
    });
  }

  /** Sends a request message, compressed if the options say so. */
  public Future<Void> write(Req message) {
    return write(message, options.compress());
  }

  /**
   * Sends a request message; compression needs {@link CallOptions#withCompression()}. Once the call
   * has ended (say its deadline passed) nothing is sent and the returned future fails.
   */
  public Future<Void> write(Req message, boolean compress) {
    GrpcMessage encoded = encode(message, compress);
    return unlessEnded(() -> request.writeMessage(encoded));
  }

  private GrpcMessage encode(Req message, boolean compress) {
    GrpcMessage encoded = MessageCodec.encode(method.encoder(), message, WireFormat.PROTOBUF);
    return compress ? MessageCodec.gzip(encoded) : encoded;
  }

  /** Half-closes: no more request messages. Once the call has ended the returned future fails. */
  public Future<Void> end() {
    return flushEnded(unlessEnded(request::end));
  }

  /**
   * Sends a last request message and half-closes, in one write to the HTTP/2 stream when the client
   * is a {@link HalfCloseMergingClient}; compressed if the options say so. Once the call has ended
   * the returned future fails.
   */
  public Future<Void> end(Req last) {
    GrpcMessage encoded = encode(last, options.compress());
    return flushEnded(unlessEnded(() -> request.endMessage(encoded)));
  }

  private Future<Void> flushEnded(Future<Void> ended) {
    FlushCoalescing.flushEnded(request.connection());
    return ended;
  }

  /** vertx-grpc 5.0.7 throws, rather than failing the future, on a write to a stream that has ended. */
  private static Future<Void> unlessEnded(Supplier<Future<Void>> write) {
    try {
      return write.get();
    } catch (IllegalStateException ended) {
      return Future.failedFuture(ended);
    }
  }

  /** Stops delivering response messages until {@link #resume()}; HTTP/2 flow control then holds the server back. */
  public void pause() {
    paused = true;
    if (response != null) {
      response.pause();
    }
  }

  public void resume() {
    paused = false;
    if (response != null) {
      response.resume();
    }
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
    if (options.keepMessages()) {
      messages.add(decoded);
      compressed.add(!"identity".equals(message.encoding()));
    }
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
    // A trailers-only answer carries its status in the headers, any other in the trailers.
    MultiMap metadata = response.headers().contains("grpc-status") ? response.headers() : response.trailers();
    stopTimer();
    result.tryFail(new RpcException(status, StatusMessages.decode(metadata.get("grpc-message")), details(metadata)));
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

  private void fail(Throwable error) {
    if (localStatus != null || result.future().isComplete()) {
      return;
    }
    if (refused(error)) {
      stopTimer();
      result.tryFail(RpcException.unprocessed("Refused by the server before it started: " + error.getMessage()));
    } else if (error instanceof GrpcErrorException reset) {
      resetByServer(reset.status());
    } else {
      failWith(GrpcStatus.UNAVAILABLE, "Connection failed: " + error.getMessage());
    }
  }

  /**
   * A stream the server refused: reset with REFUSED_STREAM, or closed by a GOAWAY before any
   * response header arrived (a stream beyond the GOAWAY's last stream id, which no server saw).
   */
  private boolean refused(Throwable error) {
    if (error instanceof GrpcErrorException reset) {
      return reset.error() == GrpcError.UNAVAILABLE;
    }
    // Told apart by message: HttpClosedException.goAway() copies an already released buffer in 5.0.7.
    return error instanceof HttpClosedException closed && response == null
        && String.valueOf(closed.getMessage()).startsWith("Stream was closed (GOAWAY");
  }

  private void resetByServer(GrpcStatus status) {
    if (localStatus == null) {
      failWith(status, "Stream reset by the server: " + status.name());
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
