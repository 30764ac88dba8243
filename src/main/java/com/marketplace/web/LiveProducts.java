package com.marketplace.web;

import com.marketplace.client.ClientCall;
import com.marketplace.proto.product.ListProductsByCategoryRequest;
import com.marketplace.proto.product.Product;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Bridges {@code ListProductsByCategory} to server-sent events: an {@code event: product} per
 * product as it arrives, then {@code event: end} with the count, or {@code event: failure}.
 *
 * <p>Backpressure holds end to end: while the browser's connection cannot take more, the gRPC call
 * is paused, so HTTP/2 flow control holds the product service back; a browser that leaves cancels
 * the call.
 */
final class LiveProducts {

  private final ShopBackend backend;

  LiveProducts(ShopBackend backend) {
    this.backend = backend;
  }

  void stream(RoutingContext context) {
    String category = context.pathParam("category");
    HttpServerResponse response = context.response()
        .setChunked(true)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-store");
    Stream stream = new Stream(response);
    backend.streamProducts(category, stream::send)
        .onSuccess(stream::attach)
        .onFailure(stream::fail);
  }

  /** One browser's event stream and the gRPC call that feeds it. */
  private static final class Stream {
    private final HttpServerResponse response;
    private ClientCall<ListProductsByCategoryRequest, Product> call;
    private int sent;

    Stream(HttpServerResponse response) {
      this.response = response;
    }

    void attach(ClientCall<ListProductsByCategoryRequest, Product> call) {
      this.call = call;
      response.closeHandler(v -> call.cancel());
      response.drainHandler(v -> call.resume());
      if (response.writeQueueFull()) {
        call.pause();
      }
      call.result().onSuccess(done -> end()).onFailure(this::fail);
    }

    void send(Product product) {
      sent++;
      event("product", new JsonObject()
          .put("id", product.getId())
          .put("name", product.getName())
          .put("description", product.getDescription())
          .put("price", Html.price(product.getPrice()))
          .put("category", product.getCategory()));
      if (call != null && response.writeQueueFull()) {
        call.pause();
      }
    }

    void end() {
      event("end", new JsonObject().put("count", sent));
      response.end();
    }

    void fail(Throwable failure) {
      if (response.ended() || response.closed()) {
        return;
      }
      event("failure", new JsonObject().put("message", "Live updates are unavailable right now."));
      response.end();
    }

    private void event(String name, JsonObject data) {
      if (!response.ended() && !response.closed()) {
        // JSON keeps the data on one line, as an SSE data field must be.
        response.write("event: " + name + "\ndata: " + data.encode() + "\n\n");
      }
    }
  }
}
