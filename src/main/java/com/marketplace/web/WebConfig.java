package com.marketplace.web;

import com.marketplace.client.ClientTls;
import io.vertx.core.net.HostAndPort;
import java.time.Duration;
import java.util.List;

/**
 * Everything the web front end is configured with. Each setting has a flag of {@code web} and an
 * environment variable, the flag winning.
 *
 * @param host       interface the HTTP port binds to ({@code 0.0.0.0}; {@code MARKETPLACE_WEB_HOST})
 * @param port       HTTP port; 0 picks a free one ({@code 8080}; {@code MARKETPLACE_WEB_PORT})
 * @param backends   gRPC backends, balanced round robin ({@code localhost:50051}; {@code MARKETPLACE_WEB_BACKENDS})
 * @param deadline   deadline of every backend call ({@code 2000} ms; {@code MARKETPLACE_WEB_DEADLINE_MS})
 * @param categories product categories on the home page and in the navigation, in order
 *                   ({@code Electronics,Books,Furniture}; {@code MARKETPLACE_WEB_CATEGORIES})
 * @param instances  front-end verticles, one per event loop ({@code 1}; {@code MARKETPLACE_WEB_INSTANCES})
 * @param backendTls TLS to the backends, or null for cleartext (cleartext; {@code --backend-use-tls},
 *                   {@code --backend-ca-file}, {@code --backend-cert-file}, {@code --backend-key-file} and
 *                   {@code MARKETPLACE_WEB_BACKEND_USE_TLS}, {@code _CA_FILE}, {@code _CERT_FILE}, {@code _KEY_FILE})
 */
public record WebConfig(String host, int port, List<HostAndPort> backends, Duration deadline, List<String> categories,
                        int instances, ClientTls backendTls) {

  public WebConfig {
    backends = List.copyOf(backends);
    categories = List.copyOf(categories);
  }
}
