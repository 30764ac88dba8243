package com.marketplace.server;

import com.marketplace.api.DemoApiService;
import com.marketplace.catalog.CatalogFile;
import com.marketplace.catalog.InMemoryProductStore;
import com.marketplace.catalog.ProductCatalogService;
import com.marketplace.catalog.ProductStore;
import com.marketplace.config.ConfigException;
import com.marketplace.conformance.BenchmarkTestService;
import com.marketplace.conformance.InteropTestService;
import com.marketplace.grpc.RpcService;
import com.marketplace.recommendations.BookShelf;
import com.marketplace.recommendations.RecommendationService;
import com.marketplace.tutorial.TutorialServices;
import io.vertx.grpc.server.GrpcServer;
import java.util.ArrayList;
import java.util.List;

/**
 * The marketplace's gRPC services over their shared data: what every server verticle instance, and
 * every test, mounts on a {@link GrpcServer}.
 */
public final class MarketplaceServices {

  private final ProductStore products;
  private final BookShelf books;
  private final boolean conformance;
  private final List<String> serviceNames;

  /**
   * The first one in a process loads the services' descriptors, a tenth of a second or more; {@code serve}
   * builds it off the event loops.
   *
   * @param conformance whether the grpc.testing interop and benchmark services are served too
   */
  public MarketplaceServices(ProductStore products, BookShelf books, boolean conformance) {
    this.products = products;
    this.books = books;
    this.conformance = conformance;
    this.serviceNames = definitions().stream().map(service -> service.name().fullyQualifiedName()).toList();
  }

  /** @throws ConfigException if the catalog holds more than {@code maxProducts} products */
  public static MarketplaceServices of(CatalogFile catalog, int maxProducts, boolean conformance) {
    InMemoryProductStore products;
    try {
      products = new InMemoryProductStore(catalog.products(), maxProducts);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("config key 'catalogMaxProducts': the catalog holds " + e.getMessage());
    }
    return new MarketplaceServices(products, new BookShelf(catalog.books()), conformance);
  }

  public ProductStore products() {
    return products;
  }

  public BookShelf books() {
    return books;
  }

  /** The services, each a fresh instance: a {@link GrpcServer} keeps per-server state in them. */
  public List<RpcService> definitions() {
    List<RpcService> services = new ArrayList<>(List.of(
        new ProductCatalogService(products).definition(),
        new RecommendationService(books).definition(),
        new DemoApiService().definition(),
        TutorialServices.unary(),
        TutorialServices.bidirectional()));
    if (conformance) {
      services.add(new InteropTestService().definition());
      services.add(new BenchmarkTestService().definition());
    }
    return services;
  }

  /** Fully qualified names of the services, as health checks and reflection know them. */
  public List<String> serviceNames() {
    return serviceNames;
  }

  /** Ready to serve: there is data to serve. */
  public boolean loaded() {
    return products.size() > 0 && books.size() > 0;
  }
}
