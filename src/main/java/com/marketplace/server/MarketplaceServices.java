package com.marketplace.server;

import com.marketplace.api.DemoApiService;
import com.marketplace.catalog.CatalogFile;
import com.marketplace.catalog.InMemoryProductStore;
import com.marketplace.catalog.ProductCatalogService;
import com.marketplace.catalog.ProductStore;
import com.marketplace.grpc.RpcService;
import com.marketplace.grpc.ServerInterceptor;
import com.marketplace.recommendations.BookShelf;
import com.marketplace.recommendations.RecommendationService;
import com.marketplace.tutorial.TutorialServices;
import io.vertx.grpc.server.GrpcServer;
import java.util.List;

/**
 * The marketplace's gRPC services over their shared data: what every server verticle instance, and
 * every test, mounts on a {@link GrpcServer}.
 */
public final class MarketplaceServices {

  private final ProductStore products;
  private final BookShelf books;

  public MarketplaceServices(ProductStore products, BookShelf books) {
    this.products = products;
    this.books = books;
  }

  public static MarketplaceServices of(CatalogFile catalog) {
    return new MarketplaceServices(new InMemoryProductStore(catalog.products()), new BookShelf(catalog.books()));
  }

  public ProductStore products() {
    return products;
  }

  public BookShelf books() {
    return books;
  }

  /** The services, each a fresh instance: a {@link GrpcServer} keeps per-server state in them. */
  public List<RpcService> definitions() {
    return List.of(
        new ProductCatalogService(products).definition(),
        new RecommendationService(books).definition(),
        new DemoApiService().definition(),
        TutorialServices.unary(),
        TutorialServices.bidirectional());
  }

  /** Mounts every service on {@code server}, each call going through {@code interceptors} first. */
  public void configure(GrpcServer server, List<ServerInterceptor> interceptors) {
    definitions().forEach(service -> server.addService(service.intercepted(interceptors)));
  }

  /** Fully qualified names of the services, as health checks and reflection know them. */
  public List<String> serviceNames() {
    return definitions().stream().map(service -> service.name().fullyQualifiedName()).toList();
  }

  /** Ready to serve: there is data to serve. */
  public boolean loaded() {
    return products.size() > 0 && books.size() > 0;
  }
}
