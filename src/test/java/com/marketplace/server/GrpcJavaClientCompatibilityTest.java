package com.marketplace.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marketplace.proto.api.ApiGrpc;
import com.marketplace.proto.api.ApiRequest;
import com.marketplace.proto.api.HelloRequest;
import com.marketplace.proto.api.Item;
import com.marketplace.proto.bidirectional.BidirectionalGrpc;
import com.marketplace.proto.product.GetProductRequest;
import com.marketplace.proto.product.ListProductsByCategoryRequest;
import com.marketplace.proto.product.Product;
import com.marketplace.proto.product.ProductLookup;
import com.marketplace.proto.product.ProductServiceGrpc;
import com.marketplace.proto.product.UploadSummary;
import com.marketplace.proto.recommendations.BookCategory;
import com.marketplace.proto.recommendations.RecommendationRequest;
import com.marketplace.proto.recommendations.RecommendationsGrpc;
import com.marketplace.proto.unary.Message;
import com.marketplace.proto.unary.UnaryGrpc;
import com.marketplace.testing.TestServers;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import com.google.rpc.BadRequest;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** grpc-java's own client, an independent implementation, sees exactly the documented behaviour. */
@ExtendWith(VertxExtension.class)
class GrpcJavaClientCompatibilityTest {

  private ManagedChannel channel;

  @BeforeEach
  void start(Vertx vertx) {
    MarketplaceServer server = TestServers.start(vertx);
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
  }

  @AfterEach
  void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void getProductAndItsErrors() {
    ProductServiceGrpc.ProductServiceBlockingStub products = ProductServiceGrpc.newBlockingStub(channel);
    assertEquals("Wireless Mouse", products.getProduct(id("p002")).getName());

    StatusRuntimeException notFound = assertThrows(StatusRuntimeException.class, () -> products.getProduct(id("p999")));
    assertEquals(Status.Code.NOT_FOUND, notFound.getStatus().getCode());
    assertEquals("Product with ID 'p999' not found.", notFound.getStatus().getDescription());

    StatusRuntimeException empty = assertThrows(StatusRuntimeException.class, () -> products.getProduct(id("")));
    assertEquals(Status.Code.INVALID_ARGUMENT, empty.getStatus().getCode());
  }

  @Test
  void invalidArgumentsCarryBadRequestDetailsReadableByStatusProto() throws Exception {
    StatusRuntimeException empty = assertThrows(StatusRuntimeException.class,
        () -> ProductServiceGrpc.newBlockingStub(channel).getProduct(id("")));
    com.google.rpc.Status status = StatusProto.fromThrowable(empty);
    assertEquals(Status.Code.INVALID_ARGUMENT.value(), status.getCode());
    BadRequest badRequest = status.getDetails(0).unpack(BadRequest.class);
    assertEquals("product_id", badRequest.getFieldViolations(0).getField());
    assertEquals("must not be empty", badRequest.getFieldViolations(0).getDescription());

    Iterator<Item> negative = ApiGrpc.newBlockingStub(channel).getStream(ApiRequest.newBuilder().setLength(-5).build());
    StatusRuntimeException streamed = assertThrows(StatusRuntimeException.class, negative::hasNext);
    assertEquals("length", StatusProto.fromThrowable(streamed).getDetails(0).unpack(BadRequest.class).getFieldViolations(0).getField());
  }

  @Test
  void listProductsByCategory() {
    Iterator<Product> books = ProductServiceGrpc.newBlockingStub(channel)
        .listProductsByCategory(ListProductsByCategoryRequest.newBuilder().setCategory("Books").build());
    List<String> ids = new ArrayList<>();
    books.forEachRemaining(product -> ids.add(product.getId()));
    assertEquals(List.of("p004", "p006"), ids);
  }

  @Test
  void uploadProductsAndLookupProducts() throws Exception {
    ProductServiceGrpc.ProductServiceStub async = ProductServiceGrpc.newStub(channel);
    Collector<UploadSummary> summary = new Collector<>();
    StreamObserver<Product> upload = async.uploadProducts(summary);
    upload.onNext(Product.newBuilder().setId("j1").setName("Java Mug").setPrice(9.5f).setCategory("Kitchen").build());
    upload.onNext(Product.newBuilder().setId("j2").setName("").build());
    upload.onCompleted();
    UploadSummary result = summary.done.get(10, TimeUnit.SECONDS).get(0);
    assertEquals(2, result.getReceived());
    assertEquals(1, result.getStored());
    assertEquals(List.of("j2"), result.getRejectedIdsList());

    Collector<ProductLookup> lookups = new Collector<>();
    StreamObserver<GetProductRequest> lookup = async.lookupProducts(lookups);
    lookup.onNext(id("j1"));
    lookup.onNext(id("zz"));
    lookup.onCompleted();
    List<ProductLookup> answers = lookups.done.get(10, TimeUnit.SECONDS);
    assertEquals("Java Mug", answers.get(0).getProduct().getName());
    assertFalse(answers.get(1).getFound());
  }

  @Test
  void recommendAndItsErrors() {
    RecommendationsGrpc.RecommendationsBlockingStub recommendations = RecommendationsGrpc.newBlockingStub(channel);
    assertEquals(2, recommendations.recommend(RecommendationRequest.newBuilder()
        .setCategory(BookCategory.SCIENCE_FICTION).setMaxResults(2).build()).getRecommendationsCount());
    StatusRuntimeException negative = assertThrows(StatusRuntimeException.class, () -> recommendations.recommend(
        RecommendationRequest.newBuilder().setMaxResults(-3).build()));
    assertEquals(Status.Code.INVALID_ARGUMENT, negative.getStatus().getCode());
  }

  @Test
  void demoApiAndTutorials() throws Exception {
    ApiGrpc.ApiBlockingStub api = ApiGrpc.newBlockingStub(channel);
    assertEquals("Hello grpc-java!", api.sayHello(HelloRequest.newBuilder().setName("grpc-java").build()).getMessage());
    assertEquals(4, api.getAll(ApiRequest.newBuilder().setLength(4).build()).getItemsCount());
    Iterator<Item> stream = api.getStream(ApiRequest.newBuilder().setLength(50_000).build());
    int count = 0;
    while (stream.hasNext()) {
      assertEquals(++count, stream.next().getId());
    }
    assertEquals(50_000, count);

    assertTrue(UnaryGrpc.newBlockingStub(channel).getServerResponse(Message.newBuilder().setMessage("m").build()).getReceived());
    Collector<com.marketplace.proto.bidirectional.Message> answers = new Collector<>();
    StreamObserver<com.marketplace.proto.bidirectional.Message> bidi = BidirectionalGrpc.newStub(channel).getServerResponse(answers);
    bidi.onNext(com.marketplace.proto.bidirectional.Message.newBuilder().setMessage("a").build());
    bidi.onNext(com.marketplace.proto.bidirectional.Message.newBuilder().setMessage("b").build());
    bidi.onCompleted();
    assertEquals(2, answers.done.get(10, TimeUnit.SECONDS).size());
  }

  @Test
  void aDeadlineIsReportedAsDeadlineExceeded() {
    Iterator<Item> endless = ApiGrpc.newBlockingStub(channel).withDeadlineAfter(300, TimeUnit.MILLISECONDS)
        .getStream(ApiRequest.newBuilder().setLength(10_000_000).build());
    StatusRuntimeException expired = assertThrows(StatusRuntimeException.class, () -> endless.forEachRemaining(item -> { }));
    assertEquals(Status.Code.DEADLINE_EXCEEDED, expired.getStatus().getCode());
  }

  private static GetProductRequest id(String id) {
    return GetProductRequest.newBuilder().setProductId(id).build();
  }

  /** Collects a call's answers; completes on a normal end, fails with the call's status. */
  private static final class Collector<T> implements StreamObserver<T> {
    final List<T> values = new ArrayList<>();
    final CompletableFuture<List<T>> done = new CompletableFuture<>();

    @Override
    public void onNext(T value) {
      values.add(value);
    }

    @Override
    public void onError(Throwable error) {
      done.completeExceptionally(error);
    }

    @Override
    public void onCompleted() {
      done.complete(values);
    }
  }
}
