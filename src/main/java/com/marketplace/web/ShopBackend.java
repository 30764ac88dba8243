package com.marketplace.web;

import com.marketplace.client.BalancedChannel;
import com.marketplace.client.CallOptions;
import com.marketplace.client.CallResult;
import com.marketplace.client.ClientCall;
import com.marketplace.proto.product.GetProductRequest;
import com.marketplace.proto.product.ListProductsByCategoryRequest;
import com.marketplace.proto.product.Product;
import com.marketplace.proto.product.ProductServiceGrpcClient;
import com.marketplace.proto.recommendations.BookCategory;
import com.marketplace.proto.recommendations.BookRecommendation;
import com.marketplace.proto.recommendations.RecommendationRequest;
import com.marketplace.proto.recommendations.RecommendationResponse;
import com.marketplace.proto.recommendations.RecommendationsGrpcClient;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import java.time.Duration;
import java.util.List;

/** The gRPC calls behind the pages, each with the front end's deadline. */
final class ShopBackend {

  private final BalancedChannel channel;
  private final CallOptions options;

  ShopBackend(BalancedChannel channel, Duration deadline) {
    this.channel = channel;
    this.options = CallOptions.defaults().withTimeout(deadline);
  }

  /** {@code ListProductsByCategory}, collected. */
  Future<List<Product>> products(String category) {
    return channel.call(ProductServiceGrpcClient.ListProductsByCategory, options,
        List.of(ListProductsByCategoryRequest.newBuilder().setCategory(category).build())).map(CallResult::messages);
  }

  /** {@code GetProduct}; an unknown id fails with NOT_FOUND. */
  Future<Product> product(String id) {
    return channel.call(ProductServiceGrpcClient.GetProduct, options,
        List.of(GetProductRequest.newBuilder().setProductId(id).build())).map(CallResult::single);
  }

  /** {@code Recommendations.Recommend} of up to {@code max} books. */
  Future<List<BookRecommendation>> recommendations(int userId, BookCategory category, int max) {
    RecommendationRequest request = RecommendationRequest.newBuilder()
        .setUserId(userId).setCategory(category).setMaxResults(max).build();
    return channel.<RecommendationRequest, RecommendationResponse>call(RecommendationsGrpcClient.Recommend, options,
        List.of(request)).map(result -> result.single().getRecommendationsList());
  }

  /** {@code ListProductsByCategory} as a stream: {@code onProduct} sees each product as it arrives. */
  Future<ClientCall<ListProductsByCategoryRequest, Product>> streamProducts(String category, Handler<Product> onProduct) {
    return channel.start(ProductServiceGrpcClient.ListProductsByCategory, options.withoutKeepingMessages(), onProduct)
        .onSuccess(call -> call.end(ListProductsByCategoryRequest.newBuilder().setCategory(category).build()));
  }

  BalancedChannel channel() {
    return channel;
  }
}
