package com.marketplace.client;

import static com.marketplace.grpc.GrpcHeaders.CANCEL;
import static com.marketplace.grpc.GrpcHeaders.GRPC_ACCEPT_ENCODING;
import static com.marketplace.grpc.GrpcHeaders.GRPC_CONTENT_TYPE;
import static com.marketplace.grpc.GrpcHeaders.GRPC_ENCODING;
import static com.marketplace.grpc.GrpcHeaders.GRPC_STATUS;
import static com.marketplace.grpc.GrpcHeaders.GZIP;

import com.marketplace.grpc.BodyMessages;
import com.marketplace.grpc.Causes;
import com.marketplace.grpc.ConnectionChannel;
import com.marketplace.grpc.FlushCoalescing;
import com.marketplace.grpc.GrpcTimeout;
import com.marketplace.grpc.MessageCodec;
import com.marketplace.grpc.RpcException;
import io.netty.channel.Channel;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.util.AttributeKey;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.common.GrpcLocal;
import io.vertx.grpc.common.GrpcMessage;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.WireFormat;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client call of any kind, made on Vert.x's HTTP/2 client request itself, ending with the true
 * status: the status from the trailers (or the headers, trailers-only) with its message and rich
 * error details, DEADLINE_EXCEEDED when its deadline passes (sent as {@code grpc-timeout} and
 * enforced here too, whether or not the server keeps to it), RESOURCE_EXHAUSTED for a response
 * message over the size limit, a reset's status, a refused stream as unprocessed, and for an answer
 * that is not gRPC the status gRPC's HTTP-to-gRPC mapping gives its HTTP status.
 *
 * <p>The headers go out with the first message or the half-close; a whole call ({@link #call}) sends
 * them, every request message and the half-close in one write. Response messages are cut out of the
 * body as it arrives ({@link BodyMessages}). vertx-grpc's client request and response objects,
 * deframer and message queue are left out: for whole calls the {@code load} client's CPU per unary
 * call fell by 0.35 to 1.5 µs in three of four A/Bs ({@code bench/results/changes.md}).
 */
public final class ClientCall<Req, Resp> {

  private static final Logger log = LoggerFactory.getLogger(ClientCall.class);
  /** Marks a connection {@link #prepare}d. */
  private static final AttributeKey<Boolean> PREPARED = AttributeKey.valueOf(ClientCall.class, "prepared");
  private static final CharSequence TE = HttpHeaders.createOptimized("te");
  private static final CharSequence TRAILERS = HttpHeaders.createOptimized("trailers");

  private final ServiceMethod<Resp, Req> method;
  private final HttpClientRequest request;
  private final CallOptions options;
  private final long maxMessageSize;
  private final Handler<Resp> onMessage;
  private final Promise<CallResult<Resp>> result = Promise.promise();
  private final ResponseMessages<Resp> messages;
  private final CallDeadline deadline;
  /** The channel under the request's connection, if Vert.x's own (see {@link ConnectionChannel}). */
  private final Channel channel;
  private HttpClientResponse response;
  private BodyMessages body;
  private boolean paused;
  private boolean halfClosed;
  /** Whether the request's headers have gone out (with its first message, or the half-close). */
  private boolean headSent;

  /** Made on the call's context (in a callback of its request): its Vert.x runs the deadline timer. */
  private ClientCall(ServiceMethod<Resp, Req> method, HttpClientRequest request, CallOptions options, long maxMessageSize,
                     Handler<Resp> onMessage) {
    this.method = method;
    this.request = request;
    this.options = options;
    this.maxMessageSize = maxMessageSize;
    this.onMessage = onMessage;
    this.messages = new ResponseMessages<>(method.decoder(), maxMessageSize, options);
    this.deadline = new CallDeadline(Vertx.currentContext().owner());
    this.channel = ConnectionChannel.of(request.connection());
  }

  /**
   * Opens a call on {@code http} (see {@link Http2Clients}); {@code onMessage} sees each response
   * message as it arrives, and the call's {@link #result()} also collects them unless the options say
   * {@link CallOptions#withoutKeepingMessages()}. Fails with an unprocessed {@link RpcException} when
   * the server cannot be reached.
   */
  public static <Req, Resp> Future<ClientCall<Req, Resp>> start(HttpClient http, SocketAddress server,
                                                                ServiceMethod<Resp, Req> method, CallOptions requested,
                                                                long maxMessageSize, Handler<Resp> onMessage) {
    return withPropagatedDeadline(requested, options -> opening(http, server, method, options)
        .map(opening -> new ClientCall<>(method, opening.request(), opening.options(), maxMessageSize, onMessage).open()));
  }

  /** A whole call: sends every request and half-closes in one write, and completes with what came back. */
  public static <Req, Resp> Future<CallResult<Resp>> call(HttpClient http, SocketAddress server,
                                                          ServiceMethod<Resp, Req> method, CallOptions requested,
                                                          long maxMessageSize, List<Req> requests) {
    return withPropagatedDeadline(requested, options -> opening(http, server, method, options)
        .compose(opening -> new ClientCall<>(method, opening.request(), opening.options(), maxMessageSize, (Resp message) -> { })
            .open().sendAll(requests)));
  }

  /** A call's HTTP/2 request, and its options with the time the call has left. */
  private record Opening(HttpClientRequest request, CallOptions options) {}

  /**
   * The call's request. Vert.x queues a request while the connection has as many streams as the
   * server allows, and a call's deadline counts from its start: a call that gets no stream in time
   * fails DEADLINE_EXCEEDED, and the stream that comes later is reset.
   */
  private static Future<Opening> opening(HttpClient http, SocketAddress server, ServiceMethod<?, ?> method, CallOptions options) {
    Future<HttpClientRequest> request = request(http, server, method);
    // Off Vert.x's threads (the interop client's main thread) there is no event loop to time the wait on.
    Context context = request.isComplete() || options.timeout() == null ? null : Vertx.currentContext();
    if (context == null) {
      return request.map(opened -> new Opening(opened, options));
    }
    long start = System.nanoTime();
    return CallDeadline.within(context.owner(), request, options.timeout(), "a stream", ClientCall::resetUnsent)
        .map(opened -> new Opening(opened, options.withTimeLeftSince(start)));
  }

  /** The HTTP/2 request of a call; fails with an unprocessed {@link RpcException} when the server cannot be reached. */
  private static Future<HttpClientRequest> request(HttpClient http, SocketAddress server, ServiceMethod<?, ?> method) {
    RequestOptions target = Authority.of(server, new RequestOptions().setMethod(HttpMethod.POST).setServer(server)
        .setURI(method.serviceName().pathOf(method.methodName())));
    return http.request(target).recover(error -> Future.failedFuture(unreachable(server, error)));
  }

  /**
   * The failure of a call whose server could not be reached: no server saw it. The message ends with
   * the innermost cause too, which says why: Vert.x's own message for a failed TLS handshake is only
   * "Failed to create SSL connection".
   */
  static RpcException unreachable(SocketAddress server, Throwable error) {
    Throwable innermost = Causes.innermost(error);
    String reason = innermost == error || innermost.getMessage() == null ? String.valueOf(error.getMessage())
        : error.getMessage() + ": " + innermost.getMessage();
    return RpcException.unprocessed("cannot reach " + Authority.name(server) + ": " + reason);
  }

  /**
   * Opens a call with {@code options}, at once on the caller's context. Inside a server call, a
   * downstream call gets at most the time the incoming call has left (vertx-grpc's deadline
   * propagation); if none is left, it fails at once with DEADLINE_EXCEEDED.
   */
  private static <T> Future<T> withPropagatedDeadline(CallOptions options, Function<CallOptions, Future<T>> opening) {
    GrpcLocal incoming = GrpcLocal.current();
    if (incoming == null) {
      return opening.apply(options);
    }
    Duration left = Duration.between(Instant.now(), incoming.deadline());
    if (left.isNegative() || left.isZero()) {
      return Future.failedFuture(new RpcException(GrpcStatus.DEADLINE_EXCEEDED, "Deadline of the incoming call already expired"));
    }
    return opening.apply(options.timeout() == null || left.compareTo(options.timeout()) < 0 ? options.withTimeout(left) : options);
  }

  /** Once per connection, on its first call: flush coalescing, and no reset-flood limit (see ResetFloodLimit). */
  private static void prepare(HttpConnection connection, Channel channel) {
    if (channel != null && channel.attr(PREPARED).setIfAbsent(Boolean.TRUE) == null) {
      FlushCoalescing.install(connection);
      ResetFloodLimit.lift(channel);
    }
  }

  private ClientCall<Req, Resp> open() {
    prepare(request.connection(), channel);
    MultiMap headers = request.headers();
    headers.addAll(options.metadata());
    headers.set(HttpHeaders.CONTENT_TYPE, GRPC_CONTENT_TYPE);
    if (options.compress()) {
      // Declared for the call; each message may still go uncompressed, flagged as such.
      headers.set(GRPC_ENCODING, GZIP);
    }
    headers.set(GRPC_ACCEPT_ENCODING, GZIP);
    headers.set(TE, TRAILERS);
    if (options.timeout() != null) {
      headers.set(GrpcTimeout.HEADER, GrpcTimeout.header(CallDeadline.millis(options.timeout())));
      deadline.start(options.timeout(), this::abort);
    }
    // No content-length: no gRPC client sends one, and each server would parse and check it.
    request.setChunked(true);
    request.exceptionHandler(this::fail);
    request.response().onComplete(this::answered);
    return this;
  }

  /** Every request message behind its prefix, and the half-close, in one write; then the call's result. */
  private Future<CallResult<Resp>> sendAll(List<Req> requests) {
    List<GrpcMessage> encoded = new ArrayList<>(requests.size());
    for (Req message : requests) {
      encoded.add(encode(method, message, options.compress()));
    }
    halfClose(encoded.isEmpty() ? null : MessageCodec.framed(encoded));
    return result.future();
  }

  /** A request message of {@code method} in protobuf, gzip-compressed if {@code compress}. */
  private static <Req> GrpcMessage encode(ServiceMethod<?, Req> method, Req message, boolean compress) {
    GrpcMessage encoded = MessageCodec.encode(method.encoder(), message, WireFormat.PROTOBUF);
    return compress ? MessageCodec.gzip(encoded) : encoded;
  }

  /** Sends a request message, compressed if the options say so. */
  public Future<Void> write(Req message) {
    return write(message, options.compress());
  }

  /**
   * Sends a request message; compression needs {@link CallOptions#withCompression()}. Once the call
   * has half-closed or ended (say its deadline passed) nothing is sent and the returned future fails.
   */
  public Future<Void> write(Req message, boolean compress) {
    if (result.future().isComplete()) {
      return ended();
    }
    headSent = true;
    return request.write(MessageCodec.framed(encode(method, message, compress)));
  }

  /** Half-closes: no more request messages. Once the call has ended the returned future fails. */
  public Future<Void> end() {
    return halfClose(null);
  }

  /**
   * Sends a last request message and half-closes in one write, compressed if the options say so.
   * Once the call has ended the returned future fails.
   */
  public Future<Void> end(Req last) {
    return halfClose(MessageCodec.framed(encode(method, last, options.compress())));
  }

  private Future<Void> halfClose(Buffer last) {
    if (result.future().isComplete()) {
      return ended();
    }
    halfClosed = true;
    headSent = true;
    Future<Void> ended = last == null ? request.end() : request.end(last);
    FlushCoalescing.flushEnded(channel);
    return ended;
  }

  /**
   * What a write or half-close after the end gets. Checked here, not left to the stream: a call that
   * ended before its headers went out is reset only once they have, and would take writes until then.
   */
  private Future<Void> ended() {
    Throwable cause = result.future().cause();
    return Future.failedFuture(cause != null ? cause : new IllegalStateException("The call has already ended"));
  }

  /** Stops delivering response messages until {@link #resume()}; HTTP/2 flow control then holds the server back. */
  public void pause() {
    paused = true;
    if (body != null) {
      body.pause();
    }
  }

  public void resume() {
    paused = false;
    if (body != null) {
      body.resume();
    }
  }

  /** Cancels the call; it ends with CANCELLED, and no further response message is delivered. */
  public void cancel() {
    abort(GrpcStatus.CANCELLED, "Cancelled by the client");
  }

  /** Completes with the messages and metadata when the call ends with OK; fails with an {@link RpcException} otherwise. */
  public Future<CallResult<Resp>> result() {
    return result.future();
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
    body = new BodyMessages(response, response.getHeader(GRPC_ENCODING), maxMessageSize);
    body.tooLargeHandler(() -> abort(GrpcStatus.RESOURCE_EXHAUSTED, "Response message larger than " + maxMessageSize + " bytes"));
    body.messageHandler(this::receive);
    body.endHandler(v -> finish(false));
    body.truncatedHandler(() -> finish(true));
    if (paused) {
      body.pause();
    }
  }

  /** application/grpc, with a suffix or parameters, in any case (as grpc-java takes it). */
  private static boolean isGrpc(String contentType) {
    String grpc = "application/grpc";
    int length = grpc.length();
    return contentType != null && contentType.regionMatches(true, 0, grpc, 0, length)
        && (contentType.length() == length || contentType.charAt(length) == '+' || contentType.charAt(length) == ';');
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
    if (result.future().isComplete()) {
      // Ended (cancelled, say) with messages of a frame still to cut, or held while paused: none is wanted.
      return;
    }
    Resp decoded;
    try {
      decoded = messages.decode(message);
    } catch (RpcException e) {
      abort(e.status(), e.getMessage());
      return;
    }
    try {
      onMessage.handle(decoded);
    } catch (RuntimeException e) {
      // As grpc-java does: the call is cancelled, rather than going on with the rest of the frame's messages lost.
      log.error("{}: the response message handler failed; the call is cancelled", request.path(), e);
      abort(GrpcStatus.CANCELLED, "Failed to read message: " + e);
    }
  }

  /** @param truncated whether the body ended inside a message, which fails a call the server ended OK (as in grpc-java) */
  private void finish(boolean truncated) {
    deadline.stop();
    // A trailers-only answer carries its status in the headers, any other in the trailers.
    MultiMap metadata = response.headers().contains(GRPC_STATUS) ? response.headers() : response.trailers();
    GrpcStatus status = status(metadata.get(GRPC_STATUS));
    if (status == GrpcStatus.OK && truncated) {
      result.tryFail(new RpcException(GrpcStatus.INTERNAL, "Response body ended inside a message"));
    } else if (status == GrpcStatus.OK) {
      result.tryComplete(messages.result(response.headers(), response.trailers()));
    } else if (status == null) {
      result.tryFail(new RpcException(GrpcStatus.UNKNOWN, "Response ended without a valid grpc-status"));
    } else {
      result.tryFail(deadline.reconcile(CallFailures.ofStatus(status, metadata)));
    }
    if (!halfClosed) {
      // The server has ended the call, so the rest of the request is not wanted (grpc-java does the same).
      request.reset(CANCEL);
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
    deadline.stop();
    result.tryFail(new RpcException(status, message));
    if (headSent) {
      request.reset(CANCEL);
    } else {
      resetUnsent(request);
    }
  }

  /**
   * Resets a request whose headers have not gone out, sending them first: reset before that, Vert.x
   * 5.0.7 never gives the stream's slot on its connection back.
   */
  private static void resetUnsent(HttpClientRequest request) {
    request.sendHead().onComplete(sent -> request.reset(CANCEL));
  }

  /** A stream or connection failure; once the call has ended (this side's reset included) it is only an echo. */
  private void fail(Throwable error) {
    if (result.future().isComplete()) {
      return;
    }
    deadline.stop();
    result.tryFail(deadline.reconcile(CallFailures.ofError(error, beyondGoAway())));
  }

  /**
   * Whether a GOAWAY from the server names a last stream below this call's, which it therefore never
   * saw; Vert.x reports a stream closed after any GOAWAY alike. Unknown (a connection not Vert.x's
   * own), only a call not yet answered is taken to be beyond it.
   */
  private boolean beyondGoAway() {
    Http2ConnectionHandler http2 = ConnectionChannel.http2(channel);
    if (http2 == null) {
      return response == null;
    }
    int lastSeen = http2.connection().local().lastStreamKnownByPeer();
    int stream = streamId();
    // No stream yet: the request never left.
    return lastSeen >= 0 && (stream < 0 || stream > lastSeen);
  }

  /** The request's stream id; -1 before it has a stream, where Vert.x 5.0.7's {@code streamId()} throws. */
  private int streamId() {
    try {
      return request.streamId();
    } catch (NullPointerException noStreamYet) {
      return -1;
    }
  }
}
