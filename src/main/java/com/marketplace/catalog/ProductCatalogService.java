package com.marketplace.catalog;

import static com.marketplace.proto.product.ProductServiceGrpcService.GetProduct;
import static com.marketplace.proto.product.ProductServiceGrpcService.ListProductsByCategory;
import static com.marketplace.proto.product.ProductServiceGrpcService.LookupProducts;
import static com.marketplace.proto.product.ProductServiceGrpcService.SERVICE_DESCRIPTOR;
import static com.marketplace.proto.product.ProductServiceGrpcService.SERVICE_NAME;
import static com.marketplace.proto.product.ProductServiceGrpcService.UploadProducts;

import com.marketplace.grpc.RpcException;
import com.marketplace.grpc.RpcService;
import com.marketplace.grpc.ServerCall;
import com.marketplace.proto.product.GetProductRequest;
import com.marketplace.proto.product.ListProductsByCategoryRequest;
import com.marketplace.proto.product.Product;
import com.marketplace.proto.product.ProductLookup;
import com.marketplace.proto.product.UploadSummary;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.streams.ReadStream;
import io.vertx.grpc.common.GrpcStatus;

/** {@code product.ProductService}: the product catalog over gRPC. */
public final class ProductCatalogService {

  /** An upload lists at most this many rejected ids, so that its summary stays small; it counts them all. */
  static final int MAX_REPORTED_REJECTIONS = 1000;

  private final ProductStore store;

  public ProductCatalogService(ProductStore store) {
    this.store = store;
  }

  public RpcService definition() {
    return RpcService.builder(SERVICE_NAME, SERVICE_DESCRIPTOR)
        .unary(GetProduct, this::getProduct)
        .serverStreaming(ListProductsByCategory, this::listProductsByCategory)
        .clientStreaming(UploadProducts, this::uploadProducts)
        .bidiStreaming(LookupProducts, this::lookupProducts)
        .build();
  }

  /** Unary: the product with the requested id; NOT_FOUND if there is none. */
  Future<Product> getProduct(GetProductRequest request, ServerCall<GetProductRequest, Product> call) {
    String id = request.getProductId();
    if (id.isEmpty()) {
      return Future.failedFuture(RpcException.badField("product_id", "must not be empty"));
    }
    return store.find(id)
        .map(Future::succeededFuture)
        .orElseGet(() -> Future.failedFuture(RpcException.notFound("Product with ID '" + id + "' not found.")));
  }

  /** Server streaming: every product of the category, in catalog order, as fast as the client reads. */
  Future<Void> listProductsByCategory(ListProductsByCategoryRequest request,
                                      ServerCall<ListProductsByCategoryRequest, Product> call) {
    return call.sendAll(store.listByCategory(request.getCategory()));
  }

  /**
   * Client streaming: stores each valid product as it arrives (a known id is replaced) and answers
   * with what was received, stored and rejected once the client is done. A product with a new id
   * when the catalog is full ends the call RESOURCE_EXHAUSTED, saying how many were stored before.
   */
  Future<UploadSummary> uploadProducts(ReadStream<Product> products, ServerCall<Product, UploadSummary> call) {
    UploadSummary.Builder summary = UploadSummary.newBuilder();
    Promise<UploadSummary> done = Promise.promise();
    products.handler(product -> {
      if (done.future().isComplete()) {
        return;
      }
      summary.setReceived(summary.getReceived() + 1);
      if (ProductRules.violation(product).isPresent()) {
        if (summary.getRejectedIdsCount() < MAX_REPORTED_REJECTIONS) {
          summary.addRejectedIds(product.getId());
        }
      } else if (store.put(product)) {
        summary.setStored(summary.getStored() + 1);
      } else {
        done.fail(new RpcException(GrpcStatus.RESOURCE_EXHAUSTED, "The catalog is full (" + store.size()
            + " products): product '" + product.getId() + "' and the rest of this upload were not stored, "
            + summary.getStored() + " before it were"));
      }
    });
    products.exceptionHandler(done::tryFail);
    products.endHandler(v -> done.tryComplete(summary.build()));
    return done.future();
  }

  /** Bidirectional: one lookup answer per requested id, in order, as each request arrives. */
  Future<Void> lookupProducts(ReadStream<GetProductRequest> requests, ServerCall<GetProductRequest, ProductLookup> call) {
    return call.answerEach(requests, request -> {
      ProductLookup.Builder lookup = ProductLookup.newBuilder().setProductId(request.getProductId());
      store.find(request.getProductId()).ifPresent(product -> lookup.setFound(true).setProduct(product));
      return lookup.build();
    });
  }
}
