package com.marketplace.grpc;

import static com.marketplace.grpc.GrpcHeaders.CANCEL;
import static com.marketplace.grpc.GrpcHeaders.GRPC_ACCEPT_ENCODING;
import static com.marketplace.grpc.GrpcHeaders.GRPC_CONTENT_TYPE;
import static com.marketplace.grpc.GrpcHeaders.GRPC_ENCODING;
import static com.marketplace.grpc.GrpcHeaders.GRPC_MESSAGE;
import static com.marketplace.grpc.GrpcHeaders.GRPC_STATUS;
import static com.marketplace.grpc.GrpcHeaders.GZIP;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.internal.http.HttpServerRequestInternal;
import io.vertx.core.spi.context.storage.AccessMode;
import io.vertx.grpc.common.GrpcLocal;
import io.vertx.grpc.common.GrpcMessage;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.WireFormat;
import java.util.Map;

/**
 * A binary gRPC call (protobuf, over HTTP/2) read and answered on Vert.x's HTTP request itself.
 * vertx-grpc 5.0.7 puts its own request and response objects, deframer and message queue between the
 * two; this stream, with {@link BodyMessages} to cut the body into messages, is what a
 * single-request call needs of them, and took the server's CPU per unary call from 6.94 to 5.84 µs
 * ({@code bench/results/changes.md}). Everything else (gRPC-Web, HTTP/JSON, streaming requests) stays
 * with vertx-grpc.
 *
 * <p>On the wire it answers as vertx-grpc does: {@code content-type: application/grpc}, gzip accepted,
 * the status in trailers, or in the headers alone (trailers-only) when nothing else was sent.
 */
final class UnaryHttpStream<Req> implements CallStream<Req> {

  private static final CharSequence STATUS_OK = HttpHeaders.createOptimized("0");

  private final HttpServerRequest request;
  private final HttpServerResponse response;
  private final BodyMessages messages;
  private final long timeoutMillis;
  private boolean compressed;
  private boolean headSent;
  private MultiMap trailers;

  private UnaryHttpStream(HttpServerRequest request, long maxMessageSize) {
    this.request = request;
    this.response = request.response();
    this.messages = new BodyMessages(request, request.getHeader(GRPC_ENCODING), maxMessageSize);
    this.timeoutMillis = GrpcTimeout.millis(request.getHeader(GrpcTimeout.HEADER));
    if (timeoutMillis > 0) {
      // Calls the handler makes take what is left of this deadline (see ClientCall), as with vertx-grpc.
      ((HttpServerRequestInternal) request).context().putLocal(GrpcLocal.CONTEXT_LOCAL_KEY, AccessMode.CONCURRENT,
          new GrpcLocal(System.currentTimeMillis() + timeoutMillis));
    }
  }

  /** The stream of {@code request} if this kind can carry it: binary gRPC POSTed over HTTP/2; else null. */
  static <Req> UnaryHttpStream<Req> of(HttpServerRequest request, long maxMessageSize) {
    if (request.version() != HttpVersion.HTTP_2 || request.method() != HttpMethod.POST) {
      return null;
    }
    String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
    boolean binary = "application/grpc".equals(contentType) || "application/grpc+proto".equals(contentType);
    return binary ? new UnaryHttpStream<>(request, maxMessageSize) : null;
  }

  @Override
  public void listen(Runnable cancelled, Runnable tooLarge, Handler<RpcException> refused) {
    messages.tooLargeHandler(tooLarge);
    messages.truncatedHandler(() -> refused.handle(new RpcException(GrpcStatus.INTERNAL, MessageCodec.REQUEST_ENDED_INSIDE_A_MESSAGE)));
    // Vert.x tells the response of a reset stream or a lost connection until it has ended.
    response.exceptionHandler(error -> cancelled.run());
  }

  @Override
  public MultiMap requestHeaders() {
    return request.headers();
  }

  @Override
  public long timeoutMillis() {
    return timeoutMillis;
  }

  @Override
  public HttpConnection connection() {
    return request.connection();
  }

  @Override
  public WireFormat format() {
    return WireFormat.PROTOBUF;
  }

  @Override
  public void messageHandler(Handler<GrpcMessage> handler) {
    messages.messageHandler(handler);
  }

  @Override
  public GrpcMessageDecoder<Req> decoder(GrpcMessageDecoder<Req> methodDecoder) {
    return methodDecoder;
  }

  @Override
  public void endHandler(Handler<Void> handler) {
    messages.endHandler(handler);
  }

  @Override
  public void exceptionHandler(Handler<Throwable> handler) {
    request.exceptionHandler(handler);
  }

  @Override
  public void pause() {
    messages.pause();
  }

  @Override
  public void resume() {
    messages.resume();
  }

  /** Single-request calls take what comes: any amount resumes. */
  @Override
  public void fetch(long amount) {
    if (amount > 0) {
      messages.resume();
    }
  }

  @Override
  public MultiMap responseHeaders() {
    return response.headers();
  }

  @Override
  public MultiMap responseTrailers() {
    if (trailers == null) {
      trailers = MultiMap.caseInsensitiveMultiMap();
    }
    return trailers;
  }

  @Override
  public boolean acceptsGzip() {
    String accepted = request.getHeader(GRPC_ACCEPT_ENCODING);
    if (accepted != null) {
      for (String encoding : accepted.split(",")) {
        if (encoding.trim().equals("gzip")) {
          return true;
        }
      }
    }
    return false;
  }

  @Override
  public void gzipResponses() {
    compressed = true;
  }

  @Override
  public HttpServerResponse prefixedResponse() {
    return compressed ? null : response;
  }

  @Override
  public void writeHead() {
    if (!headSent) {
      putHead();
      response.writeHead();
    }
  }

  @Override
  public void writeMessage(GrpcMessage message) {
    writeHead();
    response.write(framed(message));
  }

  @Override
  public void endMessage(GrpcMessage message) {
    // The head goes first, else Vert.x would add a content-length that each client must parse and check.
    writeHead();
    putStatus(response.trailers(), GrpcStatus.OK, null);
    response.end(framed(message));
  }

  @Override
  public void end(GrpcStatus status, String message) {
    // Trailers-only: with nothing sent yet, the status goes in the headers and the stream ends there.
    MultiMap statusLines = headSent ? response.trailers() : response.headers();
    if (!headSent) {
      putHead();
      TrailersOnly.withoutContentLength(response);
    }
    putStatus(statusLines, status, message);
    response.end();
  }

  @Override
  public boolean writeQueueFull() {
    return response.writeQueueFull();
  }

  @Override
  public void drainHandler(Handler<Void> handler) {
    response.drainHandler(handler);
  }

  @Override
  public void cancel() {
    response.reset(CANCEL);
  }

  private void putHead() {
    headSent = true;
    MultiMap headers = response.headers();
    headers.set(HttpHeaders.CONTENT_TYPE, GRPC_CONTENT_TYPE);
    if (compressed) {
      headers.set(GRPC_ENCODING, GZIP);
    }
    headers.set(GRPC_ACCEPT_ENCODING, GZIP);
  }

  private void putStatus(MultiMap lines, GrpcStatus status, String message) {
    if (trailers != null) {
      for (Map.Entry<String, String> trailer : trailers) {
        lines.add(trailer.getKey(), trailer.getValue());
      }
    }
    lines.set(GRPC_STATUS, status == GrpcStatus.OK ? STATUS_OK : status.toString());
    if (status != GrpcStatus.OK && message != null) {
      lines.set(GRPC_MESSAGE, StatusMessages.encode(message));
    }
  }

  private Buffer framed(GrpcMessage message) {
    GrpcMessage sent = compressed && !MessageCodec.isCompressed(message) ? MessageCodec.gzip(message) : message;
    return MessageCodec.framed(sent);
  }
}
