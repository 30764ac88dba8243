package com.marketplace.grpc;

import com.google.protobuf.MessageLite;
import io.netty.channel.Channel;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.streams.ReadStream;
import io.vertx.grpc.common.GrpcMessage;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.WireFormat;
import io.vertx.grpc.server.StatusException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One server call: its metadata, its response stream, and the single place where it ends.
 *
 * <p>The call ends exactly once, with the true status: OK, the status of an {@link RpcException},
 * INTERNAL (logged) for anything unexpected, CANCELLED when the client goes away, or DEADLINE_EXCEEDED
 * when the client's {@code grpc-timeout} runs out. After that, writes are dropped instead of throwing,
 * and {@link #whenClosed()} tells long-running work to stop.
 */
public final class ServerCall<Req, Resp> {

  private static final Logger log = LoggerFactory.getLogger(ServerCall.class);
  /** Where rich error details travel: a base64 {@code google.rpc.Status}. */
  public static final String STATUS_DETAILS = "grpc-status-details-bin";
  private static final Base64.Encoder BASE64 = Base64.getEncoder().withoutPadding();
  /** Messages one stream writes before it lets the event loop serve others. */
  private static final int MAX_WRITES_PER_TURN = 512;

  /** Told of each message as it passes, so that counts can include calls still open. */
  public interface MessageListener {
    MessageListener NONE = new MessageListener() { };

    /** A request message was received and decoded. */
    default void received() {
    }

    /** A response message was written. */
    default void sent() {
    }
  }

  private final CallStream<Req> stream;
  private final ServiceMethod<Req, Resp> method;
  private final String methodName;
  private final long maxMessageSize;
  private final long startNanos = System.nanoTime();
  private final Vertx vertx;
  private final Promise<GrpcStatus> closed = Promise.promise();
  private final long timeoutMillis;
  private long deadlineTimer = -1;
  private long messagesSent;
  private long messagesReceived;
  private long bytesSent;
  private long bytesReceived;
  private boolean lastRequestCompressed;
  /** How this call's streamed messages share DATA frames; looked up by the first {@link #sendAll}. */
  private FramePacking packing;
  /** For a stream answered over HTTP/JSON: the messages so far, to be sent as one JSON array. */
  private Buffer jsonArray;
  /**
   * Sends and answer loops still running, failed when the call ends. Kept here rather than as
   * listeners on {@link #whenClosed()}, which would hold one per {@link #send} until the end of
   * the call: a long stream written message by message would grow without bound.
   */
  private List<Promise<Void>> running;
  private MessageListener messageListener = MessageListener.NONE;

  ServerCall(CallStream<Req> stream, ServiceMethod<Req, Resp> method, String methodName, long maxMessageSize) {
    this.stream = stream;
    this.method = method;
    this.methodName = methodName;
    this.maxMessageSize = maxMessageSize;
    Context context = Vertx.currentContext();
    this.vertx = context.owner();
    stream.listen(() -> markClosed(GrpcStatus.CANCELLED), () -> fail(new RpcException(GrpcStatus.RESOURCE_EXHAUSTED,
        "Request message larger than " + maxMessageSize + " bytes")), this::fail);
    timeoutMillis = stream.timeoutMillis();
    if (timeoutMillis < 0) {
      // Were it ignored, the client would believe its deadline in force.
      fail(new RpcException(GrpcStatus.INTERNAL, "Malformed grpc-timeout header"));
    } else if (timeoutMillis > 0) {
      deadlineTimer = vertx.setTimer(timeoutMillis, id -> expire());
    }
  }

  /** The full method name, {@code package.Service/Method}. */
  public String methodName() {
    return methodName;
  }

  /** The service's fully qualified name, {@code package.Service}. */
  public String serviceName() {
    return method.serviceName().fullyQualifiedName();
  }

  /** The method's simple name. */
  public String simpleMethodName() {
    return method.methodName();
  }

  /** The client's address, {@code host:port}. */
  public String peer() {
    return String.valueOf(stream.connection().remoteAddress());
  }

  /** Nanoseconds since the call arrived. */
  public long elapsedNanos() {
    return System.nanoTime() - startNanos;
  }

  /** The request metadata. */
  public MultiMap headers() {
    return stream.requestHeaders();
  }

  /** Response metadata; set it before the first response message. */
  public MultiMap responseHeaders() {
    return stream.responseHeaders();
  }

  /** Metadata sent with the status at the end of the call. */
  public MultiMap responseTrailers() {
    return stream.responseTrailers();
  }

  /** Compresses the response messages with gzip if the client accepts it; call before the first one. */
  public boolean compressResponses() {
    if (!stream.acceptsGzip()) {
      return false;
    }
    stream.gzipResponses();
    return true;
  }

  /** Whether the most recent request message arrived compressed. */
  public boolean lastRequestCompressed() {
    return lastRequestCompressed;
  }

  /** The Vert.x instance the call runs on, for timers. */
  public Vertx vertx() {
    return vertx;
  }

  /** True until the call has ended, for whatever reason. */
  public boolean isOpen() {
    return !closed.future().isComplete();
  }

  /** Completes with the status the call ended with; work still running for it should stop. */
  public Future<GrpcStatus> whenClosed() {
    return closed.future();
  }

  /** Response messages written so far. */
  public long messagesSent() {
    return messagesSent;
  }

  /** Request messages received so far. */
  public long messagesReceived() {
    return messagesReceived;
  }

  /** Response message bytes written so far, before compression. */
  public long bytesSent() {
    return bytesSent;
  }

  /** Request message bytes received so far, as they came on the wire. */
  public long bytesReceived() {
    return bytesReceived;
  }

  /** Tells {@code listener} of each message from now on, as well as any listener set before. */
  public void onMessages(MessageListener listener) {
    MessageListener before = messageListener;
    messageListener = before == MessageListener.NONE ? listener : new MessageListener() {
      @Override
      public void received() {
        before.received();
        listener.received();
      }

      @Override
      public void sent() {
        before.sent();
        listener.sent();
      }
    };
  }

  /**
   * Delivers each request message, decoded; one that cannot be decoded ends the call with a status:
   * INTERNAL, as gRPC has it, or over HTTP/JSON transcoding INVALID_ARGUMENT (HTTP 400).
   */
  void requestHandler(Handler<Req> handler) {
    GrpcMessageDecoder<Req> decoder = stream.decoder(method.decoder());
    stream.messageHandler(message -> {
      Req decoded;
      try {
        decoded = MessageCodec.decode(decoder, message, maxMessageSize);
      } catch (RpcException e) {
        fail(isTranscoded() && e.status() == GrpcStatus.INTERNAL ? new RpcException(GrpcStatus.INVALID_ARGUMENT, e.getMessage()) : e);
        return;
      }
      receivedOne(message.payload().length());
      lastRequestCompressed = MessageCodec.isCompressed(message);
      handler.handle(decoded);
    });
  }

  /**
   * Over HTTP/JSON transcoding a response is one JSON document (vertx-grpc-transcoding 5.0.7 sends one
   * message per HTTP response), so a stream's messages are collected into a JSON array sent at its end.
   */
  void answerStreamAsJsonArray() {
    jsonArray = Buffer.buffer("[");
  }

  /**
   * Adds a message to the JSON array answered at the end, up to the message size limit: the array
   * is held whole until then, so an endless stream would otherwise grow it without bound.
   */
  private boolean collectForJson(Resp message) {
    Buffer json = encode(message).payload();
    if (jsonArray.length() + 1 + json.length() + 1 > maxMessageSize) {
      fail(new RpcException(GrpcStatus.RESOURCE_EXHAUSTED, "The answer is larger than " + maxMessageSize
          + " bytes, the most one JSON answer holds; call the method over gRPC to stream it"));
      return false;
    }
    jsonArray.appendString(jsonArray.length() > 1 ? "," : "").appendBuffer(json);
    return true;
  }

  /** Whether this call came as HTTP/JSON to a transcoded method, e.g. {@code GET /v1/products/p001}. */
  boolean isTranscoded() {
    return "application/json".equals(stream.requestHeaders().get("content-type"));
  }

  /** Writes one response message; dropped, and false returned, once the call has ended. */
  public boolean write(Resp message) {
    if (!isOpen()) {
      return false;
    }
    if (jsonArray != null) {
      return collectForJson(message);
    }
    HttpServerResponse prefixed = stream.prefixedResponse();
    if (prefixed != null && message instanceof MessageLite protobuf) {
      if (messagesSent == 0) {
        // Nothing was sent before the first message: only the end of a call sends the head otherwise.
        stream.writeHead();
      }
      Buffer framed = PrefixedWrites.encode(protobuf);
      sentOne(framed.length() - MessageCodec.PREFIX_BYTES);
      prefixed.write(framed);
      return true;
    }
    stream.writeMessage(encode(message));
    return true;
  }

  /** True while the client has not taken what was already written: stop writing until drained. */
  public boolean writeQueueFull() {
    return stream.writeQueueFull();
  }

  /** Called once the client has taken enough of what was written. */
  public void drainHandler(Handler<Void> handler) {
    stream.drainHandler(handler);
  }

  /**
   * Writes one message as soon as the client has room for it. The future may complete before this
   * returns, so chaining each send on the one before recurses as deep as the stream is long: give a
   * long stream to {@link #sendAll}, which also yields the event loop between batches.
   *
   * @return completes once written, fails with {@link CallClosedException} if the call ended first
   */
  public Future<Void> send(Resp message) {
    return sendAll(List.of(message).iterator());
  }

  /**
   * Writes every message of {@code messages}, only while the client keeps up.
   *
   * @return completes when all were written, fails with {@link CallClosedException} if the call ended first
   */
  public Future<Void> sendAll(Iterator<? extends Resp> messages) {
    Promise<Void> done = untilClosed();
    pump(messages, done);
    return done.future();
  }

  private void pump(Iterator<? extends Resp> messages, Promise<Void> done) {
    if (packing == null) {
      packing = FramePacking.of(stream.connection());
    }
    packing.beginBurst();
    try {
      int written = 0;
      while (!done.future().isComplete() && messages.hasNext() && !stream.writeQueueFull()) {
        long before = bytesSent;
        write(messages.next());
        packing.written(bytesSent - before);
        if (++written == MAX_WRITES_PER_TURN) {
          // A client with a large window could otherwise keep this event loop busy for a whole stream.
          vertx.runOnContext(v -> pump(messages, done));
          return;
        }
      }
    } finally {
      packing.endBurst();
    }
    if (!messages.hasNext()) {
      done.tryComplete();
    } else if (!done.future().isComplete()) {
      stream.drainHandler(v -> pump(messages, done));
    }
  }

  /**
   * Answers each request with {@code answer(request)} as it arrives, pausing the requests while the
   * client is not reading the answers.
   *
   * @return completes when the client has sent its last request and every answer was written
   */
  public Future<Void> answerEach(ReadStream<Req> requests, Function<Req, Resp> answer) {
    Promise<Void> done = untilClosed();
    requests.exceptionHandler(done::tryFail);
    requests.endHandler(v -> done.tryComplete());
    requests.handler(message -> {
      write(answer.apply(message));
      if (stream.writeQueueFull()) {
        requests.pause();
        stream.drainHandler(drained -> requests.resume());
      }
    });
    return done.future();
  }

  /** A promise that fails with {@link CallClosedException} as soon as the call ends. */
  private Promise<Void> untilClosed() {
    Promise<Void> done = Promise.promise();
    if (!isOpen()) {
      done.fail(new CallClosedException(closed.future().result()));
      return done;
    }
    if (running == null) {
      running = new ArrayList<>(2);
    }
    running.add(done);
    done.future().onComplete(result -> running.remove(done));
    return done;
  }

  /** Ends the call with OK after the single response of a unary or client-streaming call. */
  void complete(Resp message) {
    if (isOpen()) {
      // Counted before the call closes, so that whoever watches the close sees the last message.
      GrpcMessage encoded = encode(message);
      if (closeWith(GrpcStatus.OK)) {
        stream.endMessage(encoded);
      }
    }
  }

  /** Ends a streaming call with OK. */
  void complete() {
    if (closeWith(GrpcStatus.OK)) {
      if (jsonArray != null) {
        stream.endMessage(GrpcMessage.message(MessageCodec.IDENTITY, WireFormat.JSON, jsonArray.appendString("]")));
      } else {
        stream.end(GrpcStatus.OK, null);
      }
    }
  }

  /**
   * Ends the call with the status that {@code failure} stands for: an {@link RpcException}'s own,
   * INTERNAL (logged) for anything unexpected. Does nothing once the call has ended.
   */
  public void fail(Throwable failure) {
    if (failure instanceof CallClosedException || !isOpen()) {
      return;
    }
    if (failure instanceof HttpClosedException) {
      // The connection is gone (client away, or cut at the end of a shutdown): nobody to tell.
      markClosed(GrpcStatus.CANCELLED);
      return;
    }
    GrpcStatus status;
    String message;
    if (failure instanceof RpcException rpc) {
      status = rpc.status();
      message = rpc.getMessage();
      if (!rpc.details().isEmpty()) {
        stream.responseTrailers().set(STATUS_DETAILS, BASE64.encodeToString(rpc.toStatusProto().toByteArray()));
      }
    } else if (failure instanceof StatusException se) {
      status = se.status();
      message = se.message();
    } else {
      log.error("{} failed unexpectedly", methodName(), failure);
      status = GrpcStatus.INTERNAL;
      message = "Internal server error";
    }
    endWithStatus(status, message);
  }

  private GrpcMessage encode(Resp message) {
    GrpcMessage encoded = MessageCodec.encode(method.encoder(), message, stream.format());
    sentOne(encoded.payload().length());
    return encoded;
  }

  private void sentOne(int payloadBytes) {
    messagesSent++;
    bytesSent += payloadBytes;
    messageListener.sent();
  }

  private void receivedOne(int payloadBytes) {
    messagesReceived++;
    bytesReceived += payloadBytes;
    messageListener.received();
  }

  /**
   * The deadline passed. A client that is not taking what was written would not get a status
   * either, since trailers wait behind the data, so its stream is reset, as grpc-java's servers do,
   * and what was queued for it is freed at once; any other client is told DEADLINE_EXCEEDED.
   */
  private void expire() {
    deadlineTimer = -1;
    if (!stream.writeQueueFull()) {
      endWithStatus(GrpcStatus.DEADLINE_EXCEEDED, "Deadline exceeded after " + timeoutMillis + " ms");
    } else if (markClosed(GrpcStatus.DEADLINE_EXCEEDED)) {
      stream.cancel();
    }
  }

  private void endWithStatus(GrpcStatus status, String message) {
    if (closeWith(status)) {
      stream.end(status, message);
    }
  }

  /**
   * Closes the call with {@code status}, and says whether to write the end of the response. On a
   * connection already closed, of which Vert.x has not heard yet (as when it closes its server), the
   * call is CANCELLED and nothing is written: nobody is left to tell, and vertx-core 5.0.7 would
   * queue the trailers with no promise, then fail on dropping them.
   */
  private boolean closeWith(GrpcStatus status) {
    Channel channel = ConnectionChannel.of(stream.connection());
    if (channel != null && !channel.isActive()) {
      markClosed(GrpcStatus.CANCELLED);
      return false;
    }
    return markClosed(status);
  }

  private boolean markClosed(GrpcStatus status) {
    if (!closed.tryComplete(status)) {
      return false;
    }
    if (deadlineTimer >= 0) {
      vertx.cancelTimer(deadlineTimer);
      deadlineTimer = -1;
    }
    if (running != null) {
      // A copy: each promise removes itself from the list as it fails.
      List.copyOf(running).forEach(done -> done.tryFail(new CallClosedException(status)));
    }
    return true;
  }
}
