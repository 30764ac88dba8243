package com.marketplace.grpc;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.grpc.common.GrpcMessage;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.WireFormat;

/**
 * The HTTP/2 stream under one {@link ServerCall}: request messages in, the response out. There are
 * two: {@link VertxGrpcStream}, vertx-grpc's request and response, for every protocol and RPC kind;
 * and {@link UnaryHttpStream}, Vert.x's HTTP request itself, for binary unary calls, which it answers
 * for less CPU.
 *
 * <p>The call's lifecycle (deadline, status, interceptors) is {@link ServerCall}'s; a stream only
 * moves bytes and metadata.
 */
interface CallStream<Req> {

  /**
   * @param cancelled runs when the client resets the stream or the connection goes
   * @param tooLarge  runs when a request message is over the size limit
   * @param refused   takes the status of a request body refused before its messages were read
   */
  void listen(Runnable cancelled, Runnable tooLarge, Handler<RpcException> refused);

  MultiMap requestHeaders();

  /** The client's {@code grpc-timeout} ({@link GrpcTimeout#millis}): 0 for none, -1 for a malformed one. */
  long timeoutMillis();

  HttpConnection connection();

  WireFormat format();

  /** Each request message as it arrived, still encoded. */
  void messageHandler(Handler<GrpcMessage> handler);

  /**
   * The decoder for this stream's request messages, given the method's: HTTP/JSON transcoding needs
   * vertx-grpc's own, which also merges the URL's path variables into the message.
   */
  GrpcMessageDecoder<Req> decoder(GrpcMessageDecoder<Req> methodDecoder);

  void endHandler(Handler<Void> handler);

  void exceptionHandler(Handler<Throwable> handler);

  void pause();

  void resume();

  void fetch(long amount);

  MultiMap responseHeaders();

  MultiMap responseTrailers();

  /** Whether the client's {@code grpc-accept-encoding} names gzip. */
  boolean acceptsGzip();

  /** Compresses the response messages with gzip; before the first one. */
  void gzipResponses();

  /** Where uncompressed protobuf messages, prefixed by the caller, may be written directly; null if nowhere. */
  HttpServerResponse prefixedResponse();

  void writeHead();

  void writeMessage(GrpcMessage message);

  /** Writes the last message and ends the call with OK. */
  void endMessage(GrpcMessage message);

  /** Ends the call with {@code status}; as trailers only if nothing was written. */
  void end(GrpcStatus status, String message);

  boolean writeQueueFull();

  void drainHandler(Handler<Void> handler);

  /** Resets the stream, dropping whatever is still queued for the client. */
  void cancel();
}
