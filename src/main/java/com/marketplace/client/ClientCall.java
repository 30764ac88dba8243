package com.marketplace.client;

import static com.marketplace.grpc.GrpcHeaders.GRPC_ENCODING;
import static com.marketplace.grpc.GrpcHeaders.GRPC_STATUS;
import static com.marketplace.grpc.GrpcHeaders.GZIP;

import com.marketplace.grpc.ConnectionChannel;
import com.marketplace.grpc.FlushCoalescing;
import com.marketplace.grpc.MessageCodec;
import com.marketplace.grpc.RpcException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.SocketAddress;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.common.GrpcLocal;
import io.vertx.grpc.common.GrpcMessage;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.InvalidMessageException;
import io.vertx.grpc.common.MessageSizeOverflowException;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.WireFormat;
import java.time.Duration;
import java.time.Instant;
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
 *       deadline is sent as {@code grpc-timeout} and enforced by this class, see {@link CallDeadline};</li>
 *   <li>a non-OK status after messages fails the call, where the generated streaming clients would
 *       end normally, see {@link #finish};</li>
 *   <li>a response message over the size limit is RESOURCE_EXHAUSTED, not CANCELLED, see {@link #refuse}.</li>
 * </ul>
 *
 * <p>A {@link BalancedChannel} makes whole calls, every request known at the start, as {@link WholeCall}s instead.
 */
public final class ClientCall<Req, Resp> {

  /** Marks a connection {@link #prepare}d. */
  private static final AttributeKey<Boolean> PREPARED = AttributeKey.valueOf(ClientCall.class, "prepared");

  private final ServiceMethod<Resp, Req> method;
  private final GrpcClientRequest<Req, Resp> request;
  private final CallOptions options;
  private final Handler<Resp> onMessage;
  private final Promise<CallResult<Resp>> result = Promise.promise();
  private final ResponseMessages<Resp> messages;
  private final CallDeadline deadline;
  private GrpcStatus localStatus;
  private GrpcClientResponse<Req, Resp> response;
  private boolean paused;

  private ClientCall(Vertx vertx, ServiceMethod<Resp, Req> method, GrpcClientRequest<Req, Resp> request,
                     CallOptions options, long maxMessageSize, Handler<Resp> onMessage) {
    this.method = method;
    this.request = request;
    this.options = options;
    this.onMessage = onMessage;
    this.messages = new ResponseMessages<>(method.decoder(), maxMessageSize, options);
    this.deadline = new CallDeadline(vertx);
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
  static CallOptions withPropagatedDeadline(CallOptions options) {
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
  static void prepare(HttpConnection connection) {
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
      request.headers().set(GRPC_ENCODING, GZIP);
    }
    if (options.timeout() != null) {
      long millis = CallDeadline.millis(options.timeout());
      request.timeout(millis, TimeUnit.MILLISECONDS);
      deadline.start(options.timeout(), this::abort);
    }
    request.response().onComplete(ready -> {
      if (ready.failed()) {
        fail(ready.cause());
        return;
      }
      response = ready.result();
      response.messageHandler(this::receive);
      // In place of vertx-grpc's, which cancels the call first and so ends it as CANCELLED.
      response.invalidMessageHandler(this::refuse);
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
    GrpcMessage encoded = encode(method, message, compress);
    return unlessEnded(() -> request.writeMessage(encoded));
  }

  /** A request message of {@code method} in protobuf, gzip-compressed if {@code compress}. */
  static <Req> GrpcMessage encode(ServiceMethod<?, Req> method, Req message, boolean compress) {
    GrpcMessage encoded = MessageCodec.encode(method.encoder(), message, WireFormat.PROTOBUF);
    return compress ? MessageCodec.gzip(encoded) : encoded;
  }

  /** Half-closes: no more request messages. Once the call has ended the returned future fails. */
  public Future<Void> end() {
    return flushEnded(unlessEnded(request::end));
  }

  /**
   * Sends a last request message and half-closes; compressed if the options say so. Once the call
   * has ended the returned future fails.
   */
  public Future<Void> end(Req last) {
    GrpcMessage encoded = encode(method, last, options.compress());
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

  private void receive(GrpcMessage message) {
    Resp decoded;
    try {
      decoded = messages.decode(message);
    } catch (RpcException e) {
      abort(e.status(), e.getMessage());
      return;
    }
    onMessage.handle(decoded);
  }

  private void refuse(InvalidMessageException invalid) {
    if (invalid instanceof MessageSizeOverflowException tooLarge) {
      abort(GrpcStatus.RESOURCE_EXHAUSTED, "Response message of " + tooLarge.messageSize() + " bytes, over the size limit");
    } else {
      abort(GrpcStatus.INTERNAL, "Invalid response message: " + invalid.getMessage());
    }
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
    deadline.stop();
    if (status == GrpcStatus.OK) {
      result.tryComplete(messages.result(response.headers(), response.trailers()));
      return;
    }
    // A trailers-only answer carries its status in the headers, any other in the trailers.
    MultiMap metadata = response.headers().contains(GRPC_STATUS) ? response.headers() : response.trailers();
    result.tryFail(CallFailures.ofStatus(status, metadata));
  }

  private void fail(Throwable error) {
    if (localStatus != null || result.future().isComplete()) {
      return;
    }
    deadline.stop();
    result.tryFail(CallFailures.ofError(error, response != null));
  }

  private void resetByServer(GrpcStatus status) {
    if (localStatus == null) {
      deadline.stop();
      result.tryFail(CallFailures.resetByServer(status));
    }
  }

  private void failWith(GrpcStatus status, String message) {
    deadline.stop();
    result.tryFail(new RpcException(status, message));
  }
}
