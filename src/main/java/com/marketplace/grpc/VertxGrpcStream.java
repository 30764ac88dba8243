package com.marketplace.grpc;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.grpc.common.GrpcMessage;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.WireFormat;
import io.vertx.grpc.common.impl.GrpcReadStreamBase;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.GrpcServerResponse;
import io.vertx.grpc.transcoding.impl.TranscodingGrpcServerRequest;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/** A call's stream as vertx-grpc handles it: any protocol (gRPC, gRPC-Web, HTTP/JSON), any RPC kind. */
final class VertxGrpcStream<Req, Resp> implements CallStream<Req> {

  /**
   * A vertx-grpc request's own decoder (a private field in 5.0.7), taken so that the call decodes
   * transcoded messages itself: vertx-grpc answers one it cannot decode with a bare HTTP 400.
   */
  private static final VarHandle REQUEST_DECODER = requestDecoderField();

  private final GrpcServerRequest<Req, Resp> request;
  private final GrpcServerResponse<Req, Resp> response;
  /** Where protobuf messages may go prefixed ({@link PrefixedWrites}); null once responses are compressed. */
  private HttpServerResponse prefixedResponse;
  /** An HTTP/JSON call's response, where a failure is answered with a JSON body ({@link JsonErrorBody}); else null. */
  private final HttpServerResponse jsonResponse;

  VertxGrpcStream(GrpcServerRequest<Req, Resp> request) {
    this.request = request;
    this.response = request.response();
    this.prefixedResponse = PrefixedWrites.responseFor(request);
    this.jsonResponse = request instanceof TranscodingGrpcServerRequest<?, ?> ? DispatchedRequest.responseOf(request) : null;
  }

  @Override
  public void listen(Runnable cancelled, Runnable tooLarge, Handler<RpcException> refused) {
    // One slot, shared by request and response in vertx-grpc: a reset stream from the client.
    request.errorHandler(error -> cancelled.run());
    // A body refused as it was read (server.CheckedBody); a streaming handler's own exception handler replaces this.
    request.exceptionHandler(error -> {
      if (error instanceof RpcException status) {
        refused.handle(status);
      }
    });
    // Replaces vertx-grpc's own handler, which would end the response behind the call's back.
    request.invalidMessageHandler(invalid -> tooLarge.run());
    response.exceptionHandler(error -> cancelled.run());
  }

  @Override
  public MultiMap requestHeaders() {
    return request.headers();
  }

  @Override
  public long timeoutMillis() {
    return GrpcTimeout.millis(request.headers().get(GrpcTimeout.HEADER));
  }

  @Override
  public HttpConnection connection() {
    return request.connection();
  }

  @Override
  public WireFormat format() {
    return request.format();
  }

  @Override
  public void messageHandler(Handler<GrpcMessage> handler) {
    request.messageHandler(handler);
  }

  @Override
  @SuppressWarnings("unchecked")
  public GrpcMessageDecoder<Req> decoder(GrpcMessageDecoder<Req> methodDecoder) {
    return request instanceof TranscodingGrpcServerRequest<?, ?> transcoded
        ? (GrpcMessageDecoder<Req>) REQUEST_DECODER.get(transcoded) : methodDecoder;
  }

  @Override
  public void endHandler(Handler<Void> handler) {
    request.endHandler(handler);
  }

  @Override
  public void exceptionHandler(Handler<Throwable> handler) {
    request.exceptionHandler(handler);
  }

  @Override
  public void pause() {
    request.pause();
  }

  @Override
  public void resume() {
    request.resume();
  }

  @Override
  public void fetch(long amount) {
    request.fetch(amount);
  }

  @Override
  public MultiMap responseHeaders() {
    return response.headers();
  }

  @Override
  public MultiMap responseTrailers() {
    return response.trailers();
  }

  @Override
  public boolean acceptsGzip() {
    return response.acceptedEncodings().contains("gzip");
  }

  @Override
  public void gzipResponses() {
    response.encoding("gzip");
    prefixedResponse = null;
  }

  @Override
  public HttpServerResponse prefixedResponse() {
    return prefixedResponse;
  }

  @Override
  public void writeHead() {
    response.writeHead();
  }

  @Override
  public void writeMessage(GrpcMessage message) {
    response.writeMessage(message);
  }

  @Override
  public void endMessage(GrpcMessage message) {
    response.endMessage(message);
  }

  @Override
  public void end(GrpcStatus status, String message) {
    if (status != GrpcStatus.OK && jsonResponse != null && !jsonResponse.headWritten()) {
      // vertx-grpc's response is left unended: it has nothing more to send, nor a timer that would.
      JsonErrorBody.end(jsonResponse, status, message, response.trailers());
    } else {
      if (status != GrpcStatus.OK && message != null) {
        // Not vertx-grpc's status message, which it encodes as a URL query: see StatusMessages.
        response.trailers().set(GrpcHeaders.GRPC_MESSAGE, StatusMessages.encode(message));
      }
      response.status(status).end();
    }
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
    response.cancel();
  }

  private static VarHandle requestDecoderField() {
    try {
      return MethodHandles.privateLookupIn(GrpcReadStreamBase.class, MethodHandles.lookup())
          .findVarHandle(GrpcReadStreamBase.class, "messageDecoder", GrpcMessageDecoder.class);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("vertx-grpc's request decoder is not where 5.0.7 keeps it", e);
    }
  }
}
