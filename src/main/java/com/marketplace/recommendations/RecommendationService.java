package com.marketplace.recommendations;

import static com.marketplace.proto.recommendations.RecommendationsGrpcService.Recommend;
import static com.marketplace.proto.recommendations.RecommendationsGrpcService.SERVICE_DESCRIPTOR;
import static com.marketplace.proto.recommendations.RecommendationsGrpcService.SERVICE_NAME;

import com.marketplace.catalog.Book;
import com.marketplace.grpc.RpcException;
import com.marketplace.grpc.RpcService;
import com.marketplace.grpc.ServerCall;
import com.marketplace.proto.recommendations.BookCategory;
import com.marketplace.proto.recommendations.BookRecommendation;
import com.marketplace.proto.recommendations.RecommendationRequest;
import com.marketplace.proto.recommendations.RecommendationResponse;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** {@code Recommendations}: book recommendations by category. */
public final class RecommendationService {

  private final BookShelf shelf;

  public RecommendationService(BookShelf shelf) {
    this.shelf = shelf;
  }

  public RpcService definition() {
    return RpcService.builder(SERVICE_NAME, SERVICE_DESCRIPTOR).unary(Recommend, this::recommend).build();
  }

  /** Unary: up to {@code max_results} distinct books of the category, in random order. */
  Future<RecommendationResponse> recommend(RecommendationRequest request,
                                           ServerCall<RecommendationRequest, RecommendationResponse> call) {
    if (request.getCategory() == BookCategory.UNRECOGNIZED) {
      return Future.failedFuture(RpcException.badField("category", "unknown value " + request.getCategoryValue()));
    }
    if (request.getMaxResults() < 0) {
      return Future.failedFuture(RpcException.badField("max_results", "must be >= 0, got " + request.getMaxResults()));
    }
    List<Book> candidates = new ArrayList<>(shelf.books(request.getCategory()));
    Collections.shuffle(candidates, ThreadLocalRandom.current());
    RecommendationResponse.Builder response = RecommendationResponse.newBuilder();
    candidates.stream()
        .limit(request.getMaxResults())
        .forEach(book -> response.addRecommendations(BookRecommendation.newBuilder().setId(book.id()).setTitle(book.title())));
    return Future.succeededFuture(response.build());
  }
}
