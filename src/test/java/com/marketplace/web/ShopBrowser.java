package com.marketplace.web;

import com.marketplace.testing.TestClients;
import static com.marketplace.testing.TestServers.await;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;

/** Fetches the shop's pages over HTTP/1.1, as a browser would. */
final class ShopBrowser {

  /** A fetched page. */
  record Page(int status, MultiMap headers, String body) {
    String header(String name) {
      return headers.get(name);
    }

    /** How often {@code text} occurs in the body. */
    int count(String text) {
      int count = 0;
      for (int at = body.indexOf(text); at >= 0; at = body.indexOf(text, at + text.length())) {
        count++;
      }
      return count;
    }
  }

  private final HttpClient client;
  private final int port;

  ShopBrowser(Vertx vertx, int port) {
    this.client = TestClients.http(vertx);
    this.port = port;
  }

  Page get(String path) {
    return await(TestClients.get(client, port, path)
        .map(reply -> new Page(reply.status(), reply.headers(), reply.body().toString())));
  }
}
