package com.marketplace.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marketplace.proto.product.GetProductRequest;
import com.marketplace.proto.product.ListProductsByCategoryRequest;
import com.marketplace.proto.product.Product;
import com.marketplace.proto.product.ProductLookup;
import com.marketplace.proto.product.ProductServiceGrpcClient;
import com.marketplace.proto.product.UploadSummary;
import com.marketplace.testing.Calls.Outcome;
import com.marketplace.testing.RunningMarketplace;
import com.marketplace.testing.TestServers;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class ProductCatalogServiceTest {

  private RunningMarketplace marketplace;

  @BeforeEach
  void start(Vertx vertx) {
    marketplace = RunningMarketplace.start(vertx);
  }

  @Test
  void getProductReturnsTheProduct() {
    Product product = marketplace.call(ProductServiceGrpcClient.GetProduct, request("p001")).single();
    assertEquals("Laptop Pro X", product.getName());
    assertEquals(1500.00f, product.getPrice());
    assertEquals("Electronics", product.getCategory());
  }

  @Test
  void getProductOfUnknownIdIsNotFoundWithTheDocumentedMessage() {
    Outcome<Product> outcome = marketplace.call(ProductServiceGrpcClient.GetProduct, request("p999"));
    assertEquals(GrpcStatus.NOT_FOUND, outcome.status());
    assertEquals("Product with ID 'p999' not found.", outcome.message());
  }

  @Test
  void getProductWithEmptyIdIsInvalidArgument() {
    Outcome<Product> outcome = marketplace.call(ProductServiceGrpcClient.GetProduct, request(""));
    assertEquals(GrpcStatus.INVALID_ARGUMENT, outcome.status());
  }

  @Test
  void listProductsByCategoryStreamsInCatalogOrder() {
    Outcome<Product> outcome = marketplace.call(ProductServiceGrpcClient.ListProductsByCategory,
        ListProductsByCategoryRequest.newBuilder().setCategory("Electronics").build());
    assertEquals(GrpcStatus.OK, outcome.status());
    assertEquals(List.of("p001", "p002", "p003", "p005"), outcome.messages().stream().map(Product::getId).toList());
  }

  @Test
  void listProductsOfUnknownCategoryIsAnEmptyStream() {
    Outcome<Product> outcome = marketplace.call(ProductServiceGrpcClient.ListProductsByCategory,
        ListProductsByCategoryRequest.newBuilder().setCategory("Garden").build());
    assertEquals(GrpcStatus.OK, outcome.status());
    assertTrue(outcome.messages().isEmpty());
  }

  @Test
  void uploadProductsStoresValidProductsRejectsInvalidOnesAndReplacesKnownIds() {
    List<Product> upload = List.of(
        product("u001", "Desk Lamp", 35.0f, "Furniture"),
        product("", "No Id", 1.0f, "Furniture"),
        product("u002", "", 1.0f, "Furniture"),
        product("u003", "Negative", -1.0f, "Furniture"),
        product("p002", "Wireless Mouse 2", 80.0f, "Electronics"));
    UploadSummary summary = marketplace.call(ProductServiceGrpcClient.UploadProducts, upload).single();
    assertEquals(5, summary.getReceived());
    assertEquals(2, summary.getStored());
    assertEquals(List.of("", "u002", "u003"), summary.getRejectedIdsList());

    assertEquals("Desk Lamp", marketplace.call(ProductServiceGrpcClient.GetProduct, request("u001")).single().getName());
    Outcome<Product> electronics = marketplace.call(ProductServiceGrpcClient.ListProductsByCategory,
        ListProductsByCategoryRequest.newBuilder().setCategory("Electronics").build());
    assertEquals("Wireless Mouse 2", electronics.messages().get(1).getName(), "a replaced product keeps its place");
  }

  @Test
  void uploadToAFullCatalogIsResourceExhaustedAndKeepsWhatWasStoredBefore(Vertx vertx) {
    RunningMarketplace small = RunningMarketplace.start(vertx, TestServers.config(new JsonObject().put("catalogMaxProducts", 10)));
    int before = small.server().services().products().size();
    List<Product> upload = new ArrayList<>();
    for (int i = before; i <= 10; i++) {
      upload.add(product("u" + i, "Upload " + i, 1.0f, "Furniture"));
    }

    Outcome<UploadSummary> outcome = small.call(ProductServiceGrpcClient.UploadProducts, upload);

    int stored = 10 - before;
    assertEquals(GrpcStatus.RESOURCE_EXHAUSTED, outcome.status());
    assertEquals("The catalog is full (10 products): product 'u10' and the rest of this upload were not stored, "
        + stored + " before it were", outcome.message());
    assertEquals(GrpcStatus.OK, small.call(ProductServiceGrpcClient.GetProduct, request("u9")).status());
    assertEquals(GrpcStatus.NOT_FOUND, small.call(ProductServiceGrpcClient.GetProduct, request("u10")).status());
    UploadSummary replaced = small.call(ProductServiceGrpcClient.UploadProducts,
        List.of(product("p001", "Laptop Pro Y", 1400.0f, "Electronics"))).single();
    assertEquals(1, replaced.getStored(), "a full catalog still takes a known id");
  }

  @Test
  void fieldsLongerThanTheirLimitsAreRejected() {
    List<Product> upload = List.of(
        product("x".repeat(ProductRules.MAX_ID_LENGTH), "n".repeat(ProductRules.MAX_NAME_LENGTH), 1.0f,
            "c".repeat(ProductRules.MAX_CATEGORY_LENGTH)).toBuilder()
            .setDescription("d".repeat(ProductRules.MAX_DESCRIPTION_LENGTH)).build(),
        product("y".repeat(ProductRules.MAX_ID_LENGTH + 1), "Long id", 1.0f, "Furniture"),
        product("long-name", "n".repeat(ProductRules.MAX_NAME_LENGTH + 1), 1.0f, "Furniture"),
        product("long-category", "Long category", 1.0f, "c".repeat(ProductRules.MAX_CATEGORY_LENGTH + 1)),
        product("long-description", "Long description", 1.0f, "Furniture").toBuilder()
            .setDescription("d".repeat(ProductRules.MAX_DESCRIPTION_LENGTH + 1)).build());

    UploadSummary summary = marketplace.call(ProductServiceGrpcClient.UploadProducts, upload).single();

    assertEquals(1, summary.getStored());
    assertEquals(List.of("y".repeat(ProductRules.MAX_ID_LENGTH + 1), "long-name", "long-category", "long-description"),
        summary.getRejectedIdsList());
  }

  @Test
  void anUploadListsAThousandRejectedIdsAndCountsThemAll() {
    List<Product> upload = new ArrayList<>();
    for (int i = 0; i < 1500; i++) {
      upload.add(product("bad" + i, "", 1.0f, "Furniture"));
    }
    upload.add(product("good", "Good", 1.0f, "Furniture"));

    UploadSummary summary = marketplace.call(ProductServiceGrpcClient.UploadProducts, upload).single();

    assertEquals(1501, summary.getReceived());
    assertEquals(1, summary.getStored());
    assertEquals(ProductCatalogService.MAX_REPORTED_REJECTIONS, summary.getRejectedIdsCount());
    assertEquals("bad999", summary.getRejectedIds(999));
  }

  @Test
  void uploadOfNothingStoresNothing() {
    UploadSummary summary = marketplace.call(ProductServiceGrpcClient.UploadProducts, List.<Product>of()).single();
    assertEquals(UploadSummary.getDefaultInstance(), summary);
  }

  @Test
  void lookupProductsAnswersEachRequestInOrderAndSurvivesUnknownIds() {
    Outcome<ProductLookup> outcome = marketplace.call(ProductServiceGrpcClient.LookupProducts,
        List.of(request("p003"), request("nope"), request("p001")));
    assertEquals(GrpcStatus.OK, outcome.status());
    assertEquals(List.of("p003", "nope", "p001"), outcome.messages().stream().map(ProductLookup::getProductId).toList());
    assertTrue(outcome.messages().get(0).getFound());
    assertEquals("Mechanical Keyboard", outcome.messages().get(0).getProduct().getName());
    assertFalse(outcome.messages().get(1).getFound());
    assertFalse(outcome.messages().get(1).hasProduct());
    assertTrue(outcome.messages().get(2).getFound());
  }

  static GetProductRequest request(String id) {
    return GetProductRequest.newBuilder().setProductId(id).build();
  }

  static Product product(String id, String name, float price, String category) {
    return Product.newBuilder().setId(id).setName(name).setPrice(price).setCategory(category).build();
  }
}
