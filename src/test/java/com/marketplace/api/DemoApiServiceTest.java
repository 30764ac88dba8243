package com.marketplace.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.marketplace.proto.api.ApiGrpcClient;
import com.marketplace.proto.api.ApiRequest;
import com.marketplace.proto.api.HelloRequest;
import com.marketplace.proto.api.Item;
import com.marketplace.proto.api.Items;
import com.marketplace.testing.Calls.Outcome;
import com.marketplace.testing.RunningMarketplace;
import io.vertx.core.Vertx;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.junit5.VertxExtension;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class DemoApiServiceTest {

  private RunningMarketplace marketplace;

  @BeforeEach
  void start(Vertx vertx) {
    marketplace = RunningMarketplace.start(vertx);
  }

  @Test
  void sayHelloGreetsByName() {
    assertEquals("Hello Ada!", marketplace.call(ApiGrpcClient.sayHello,
        HelloRequest.newBuilder().setName("Ada").build()).single().getMessage());
  }

  @Test
  void getAllReturnsItemsOneToLength() {
    Items items = marketplace.call(ApiGrpcClient.getAll, length(3)).single();
    assertEquals(IntStream.rangeClosed(1, 3).mapToObj(DemoApiServiceTest::item).toList(), items.getItemsList());
  }

  @Test
  void getAllOfZeroIsEmpty() {
    assertEquals(0, marketplace.call(ApiGrpcClient.getAll, length(0)).single().getItemsCount());
  }

  @Test
  void negativeLengthIsInvalidArgument() {
    assertEquals(GrpcStatus.INVALID_ARGUMENT, marketplace.call(ApiGrpcClient.getAll, length(-1)).status());
    assertEquals(GrpcStatus.INVALID_ARGUMENT, marketplace.call(ApiGrpcClient.getStream, length(-1)).status());
  }

  @Test
  void getAllBeyondOneMessageIsInvalidArgumentPointingToGetStream() {
    Outcome<Items> outcome = marketplace.call(ApiGrpcClient.getAll, length(DemoApiService.MAX_ITEMS_IN_ONE_MESSAGE + 1));
    assertEquals(GrpcStatus.INVALID_ARGUMENT, outcome.status());
    assertEquals("length: must be <= 100000 for getAll; use getStream for more", outcome.message());
  }

  @Test
  void getStreamStreamsItemsOneToLengthInOrder() {
    Outcome<Item> outcome = marketplace.call(ApiGrpcClient.getStream, length(20_000));
    assertEquals(GrpcStatus.OK, outcome.status());
    assertEquals(20_000, outcome.messages().size());
    assertEquals(item(1), outcome.messages().get(0));
    assertEquals(item(20_000), outcome.messages().get(19_999));
  }

  static ApiRequest length(int length) {
    return ApiRequest.newBuilder().setLength(length).build();
  }

  static Item item(int id) {
    return Item.newBuilder().setId(id).setName("name " + id).build();
  }
}
