package com.marketplace.api;

import static com.marketplace.proto.api.ApiGrpcService.SERVICE_DESCRIPTOR;
import static com.marketplace.proto.api.ApiGrpcService.SERVICE_NAME;
import static com.marketplace.proto.api.ApiGrpcService.getAll;
import static com.marketplace.proto.api.ApiGrpcService.getStream;
import static com.marketplace.proto.api.ApiGrpcService.sayHello;

import com.marketplace.grpc.RpcException;
import com.marketplace.grpc.RpcService;
import com.marketplace.grpc.ServerCall;
import com.marketplace.proto.api.ApiRequest;
import com.marketplace.proto.api.Hello;
import com.marketplace.proto.api.HelloRequest;
import com.marketplace.proto.api.Item;
import com.marketplace.proto.api.Items;
import io.vertx.core.Future;
import java.util.Iterator;
import java.util.NoSuchElementException;

/** {@code api.Api}: the small demo API. */
public final class DemoApiService {

  /**
   * Largest {@code getAll} answer: one message holds every item, so it must fit the message size
   * limit; 100,000 items stay well under the 4 MiB default. {@code getStream} has no such limit.
   */
  static final int MAX_ITEMS_IN_ONE_MESSAGE = 100_000;

  public RpcService definition() {
    return RpcService.builder(SERVICE_NAME, SERVICE_DESCRIPTOR)
        .unary(sayHello, this::sayHello)
        .unary(getAll, this::getAll)
        .serverStreaming(getStream, this::getStream)
        .build();
  }

  /** Unary: {@code Hello <name>!}. */
  Future<Hello> sayHello(HelloRequest request, ServerCall<HelloRequest, Hello> call) {
    return Future.succeededFuture(Hello.newBuilder().setMessage("Hello " + request.getName() + "!").build());
  }

  /** Unary: items 1..length in one message. */
  Future<Items> getAll(ApiRequest request, ServerCall<ApiRequest, Items> call) {
    int length = checkedLength(request);
    if (length > MAX_ITEMS_IN_ONE_MESSAGE) {
      return Future.failedFuture(RpcException.badField("length",
          "must be <= " + MAX_ITEMS_IN_ONE_MESSAGE + " for getAll; use getStream for more"));
    }
    Items.Builder items = Items.newBuilder();
    for (int i = 1; i <= length; i++) {
      items.addItems(item(i));
    }
    return Future.succeededFuture(items.build());
  }

  /** Server streaming: items 1..length, produced only as fast as the client reads them. */
  Future<Void> getStream(ApiRequest request, ServerCall<ApiRequest, Item> call) {
    return call.sendAll(new ItemSequence(checkedLength(request)));
  }

  private static int checkedLength(ApiRequest request) {
    if (request.getLength() < 0) {
      throw RpcException.badField("length", "must be >= 0, got " + request.getLength());
    }
    return request.getLength();
  }

  private static Item item(int id) {
    return Item.newBuilder().setId(id).setName("name " + id).build();
  }

  /** Items 1..length, made one at a time so that a long stream costs no memory up front. */
  private static final class ItemSequence implements Iterator<Item> {
    private final int length;
    private int next = 1;

    ItemSequence(int length) {
      this.length = length;
    }

    @Override
    public boolean hasNext() {
      return next <= length;
    }

    @Override
    public Item next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return item(next++);
    }
  }
}
