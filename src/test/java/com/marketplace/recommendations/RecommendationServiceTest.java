package com.marketplace.recommendations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marketplace.proto.recommendations.BookCategory;
import com.marketplace.proto.recommendations.BookRecommendation;
import com.marketplace.proto.recommendations.RecommendationRequest;
import com.marketplace.proto.recommendations.RecommendationResponse;
import com.marketplace.proto.recommendations.RecommendationsGrpcClient;
import com.marketplace.testing.Calls.Outcome;
import com.marketplace.testing.RunningMarketplace;
import io.vertx.core.Vertx;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.junit5.VertxExtension;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class RecommendationServiceTest {

  private static final Set<Integer> MYSTERY_IDS = Set.of(1, 2, 3, 4, 5);

  private RunningMarketplace marketplace;

  @BeforeEach
  void start(Vertx vertx) {
    marketplace = RunningMarketplace.start(vertx);
  }

  private Outcome<RecommendationResponse> recommend(RecommendationRequest request) {
    return marketplace.call(RecommendationsGrpcClient.Recommend, request);
  }

  @Test
  void recommendsAtMostMaxResultsDistinctBooksOfTheCategory() {
    List<BookRecommendation> books = recommend(request(BookCategory.MYSTERY, 3)).single().getRecommendationsList();
    assertEquals(3, books.size());
    Set<Integer> ids = new HashSet<>();
    books.forEach(book -> assertTrue(ids.add(book.getId()), "duplicate " + book));
    assertTrue(MYSTERY_IDS.containsAll(ids), ids + " are not all mysteries");
  }

  @Test
  void aLargeMaxResultsReturnsTheWholeCategoryOnce() {
    List<BookRecommendation> books = recommend(request(BookCategory.SELF_HELP, 1000)).single().getRecommendationsList();
    assertEquals(5, books.size());
    assertEquals(5, books.stream().map(BookRecommendation::getId).distinct().count());
  }

  @Test
  void zeroMaxResultsIsAnEmptyAnswer() {
    assertEquals(0, recommend(request(BookCategory.SCIENCE_FICTION, 0)).single().getRecommendationsCount());
  }

  @Test
  void negativeMaxResultsIsInvalidArgument() {
    Outcome<RecommendationResponse> outcome = recommend(request(BookCategory.MYSTERY, -1));
    assertEquals(GrpcStatus.INVALID_ARGUMENT, outcome.status());
    assertEquals("max_results: must be >= 0, got -1", outcome.message());
  }

  @Test
  void anUnknownCategoryValueIsInvalidArgument() {
    Outcome<RecommendationResponse> outcome = recommend(
        RecommendationRequest.newBuilder().setUserId(1).setCategoryValue(42).setMaxResults(3).build());
    assertEquals(GrpcStatus.INVALID_ARGUMENT, outcome.status());
    assertEquals("category: unknown value 42", outcome.message());
  }

  private static RecommendationRequest request(BookCategory category, int maxResults) {
    return RecommendationRequest.newBuilder().setUserId(1).setCategory(category).setMaxResults(maxResults).build();
  }
}
