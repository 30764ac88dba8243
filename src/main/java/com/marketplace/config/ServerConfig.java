package com.marketplace.config;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Everything the server can be configured with, in one place.
 *
 * <p>Each key is read, lowest precedence first, from: the defaults below; the JSON config file
 * ({@code conf/config.json} when present); an environment variable {@code MARKETPLACE_<KEY>}
 * ({@code managementPort} is {@code MARKETPLACE_MANAGEMENT_PORT}); a command-line flag.
 *
 * @param host                  interface the gRPC and management ports bind to ({@code 0.0.0.0})
 * @param port                  gRPC port; 0 picks a free one ({@code 50051})
 * @param managementPort        HTTP port for {@code /health/*}; 0 picks a free one ({@code 8081})
 * @param instances             gRPC server verticle instances sharing the port (number of cores)
 * @param catalog               catalog data file; when the default is absent, the copy built into the jar ({@code conf/catalog.json})
 * @param catalogMaxProducts    most products the catalog holds, loaded and uploaded ({@code 100000}): uploads
 *                              cannot grow the server's memory without bound
 * @param maxMessageSize        largest message accepted, in bytes ({@code 4194304}, 4 MiB)
 * @param healthCheckIntervalMs how often health is re-evaluated and changes pushed to watchers ({@code 500})
 * @param conformance           also serve grpc.testing.TestService and BenchmarkService ({@code false}); they
 *                              can be made to allocate large payloads, so they are off by default
 * @param accessLogLevel        level of the per-call access log lines, or OFF ({@code INFO})
 * @param tlsCert               PEM certificate chain for TLS on the gRPC port; absent: plaintext
 * @param tlsKey                PEM private key (PKCS#8 or PKCS#1) for {@code tlsCert}
 * @param tlsClientCa           PEM CA certificates; when set, clients must present a certificate signed by one
 * @param corsAllowedOrigins    web origins whose pages may call the gRPC port from a browser (gRPC-Web,
 *                              HTTP/JSON), or {@code *} for any; none by default (CORS refused)
 * @param jwtPublicKey          PEM public key (RSA: RS256, EC: ES256) that bearer tokens are signed with;
 *                              with it or {@code jwtSecretFile}, calls to the catalog services need a token
 * @param jwtSecretFile         file holding an HS256 secret, instead of {@code jwtPublicKey}
 * @param jwtIssuer             the {@code iss} tokens must carry; required with a key
 * @param jwtAudience           an {@code aud} tokens must carry; required with a key
 * @param shutdownGraceSeconds  on SIGTERM, how long calls in flight may take to finish ({@code 10})
 * @param maxConcurrentStreams  calls open at once on one client connection ({@code 256})
 * @param streamWindowBytes     HTTP/2 flow-control window per call, client to server ({@code 1048576});
 *                              65,535 (the HTTP/2 default) makes a 10 MiB request about twice as slow
 * @param connectionWindowBytes HTTP/2 flow-control window per connection ({@code 16777216})
 * @param idleTimeoutSeconds    an HTTP/2 connection without calls for this long gets a GOAWAY and closes;
 *                              any other (HTTP/1.1, or not yet HTTP/2) without traffic for this long
 *                              closes; 0 never ({@code 300})
 * @param keepAliveSeconds      a connection is pinged this often, and closed if the ping is not answered
 *                              within the same time; 0 never ({@code 60})
 * @param maxConnectionAgeSeconds a connection older than this (give or take 10%) is asked to go away (GOAWAY),
 *                              so that clients reconnect and spread over instances added since; 0 never ({@code 0})
 * @param maxConnectionAgeGraceSeconds how long calls on a connection past its age may still take ({@code 30})
 */
public record ServerConfig(String host, int port, int managementPort, int instances, String catalog,
                           int catalogMaxProducts, int maxMessageSize, int healthCheckIntervalMs, boolean conformance,
                           String accessLogLevel,
                           String tlsCert, String tlsKey, String tlsClientCa, List<String> corsAllowedOrigins,
                           String jwtPublicKey, String jwtSecretFile, String jwtIssuer, String jwtAudience,
                           int shutdownGraceSeconds, int maxConcurrentStreams, int streamWindowBytes,
                           int connectionWindowBytes, int idleTimeoutSeconds, int keepAliveSeconds,
                           int maxConnectionAgeSeconds, int maxConnectionAgeGraceSeconds) {

  /** The interop suite sends 10 MiB requests: with the conformance services on, the limit is at least this. */
  public static final int CONFORMANCE_MIN_MESSAGE_SIZE = 16 * 1024 * 1024;

  public static final String DEFAULT_CONFIG_FILE = "conf/config.json";
  public static final String DEFAULT_CATALOG = "conf/catalog.json";
  static final String ENV_PREFIX = "MARKETPLACE_";

  /** The built-in defaults, as the JSON a config file would hold. */
  public static JsonObject defaults() {
    return new JsonObject()
        .put("host", "0.0.0.0")
        .put("port", 50051)
        .put("managementPort", 8081)
        .put("instances", Runtime.getRuntime().availableProcessors())
        .put("catalog", DEFAULT_CATALOG)
        .put("catalogMaxProducts", 100_000)
        .put("maxMessageSize", 4 * 1024 * 1024)
        .put("healthCheckIntervalMs", 500)
        .put("conformance", false)
        .put("accessLogLevel", "INFO")
        .putNull("tlsCert")
        .putNull("tlsKey")
        .putNull("tlsClientCa")
        .putNull("corsAllowedOrigins")
        .putNull("jwtPublicKey")
        .putNull("jwtSecretFile")
        .putNull("jwtIssuer")
        .putNull("jwtAudience")
        .put("shutdownGraceSeconds", 10)
        .put("maxConcurrentStreams", 256)
        .put("streamWindowBytes", 1024 * 1024)
        .put("connectionWindowBytes", 16 * 1024 * 1024)
        .put("idleTimeoutSeconds", 300)
        .put("keepAliveSeconds", 60)
        .put("maxConnectionAgeSeconds", 0)
        .put("maxConnectionAgeGraceSeconds", 30);
  }

  /** Checks and converts merged settings; every error names its key. */
  public static ServerConfig fromJson(JsonObject json) {
    JsonObject known = defaults();
    json.fieldNames().stream().filter(key -> !known.containsKey(key)).findFirst().ifPresent(key -> {
      throw new ConfigException("unknown config key '" + key + "' (known: " + String.join(", ", known.fieldNames()) + ")");
    });
    ConfigValues values = new ConfigValues(json);
    String tlsCert = values.readableFile("tlsCert", values.optionalString("tlsCert"));
    String tlsKey = values.readableFile("tlsKey", values.requiredWith("tlsKey", "tlsCert"));
    values.keyPair("tlsCert", tlsCert, "tlsKey", tlsKey);
    return new ServerConfig(
        values.string("host"),
        values.integer("port", 0, 65535),
        values.integer("managementPort", 0, 65535),
        values.integer("instances", 1, 1024),
        values.string("catalog"),
        values.integer("catalogMaxProducts", 1, 10_000_000),
        values.integer("maxMessageSize", 1024, Integer.MAX_VALUE),
        values.integer("healthCheckIntervalMs", 50, 60_000),
        values.bool("conformance"),
        values.oneOf("accessLogLevel", "OFF", "ERROR", "WARN", "INFO", "DEBUG", "TRACE"),
        tlsCert,
        tlsKey,
        values.certificatesFile("tlsClientCa", values.optionalString("tlsClientCa")),
        values.origins("corsAllowedOrigins"),
        values.optionalString("jwtPublicKey"),
        values.optionalString("jwtSecretFile"),
        values.requiredWithEither("jwtIssuer", "jwtPublicKey", "jwtSecretFile"),
        values.requiredWithEither("jwtAudience", "jwtPublicKey", "jwtSecretFile"),
        values.integer("shutdownGraceSeconds", 0, 3600),
        values.integer("maxConcurrentStreams", 1, 1_000_000),
        values.integer("streamWindowBytes", 65_535, Integer.MAX_VALUE),
        values.integer("connectionWindowBytes", 65_535, Integer.MAX_VALUE),
        values.integer("idleTimeoutSeconds", 0, 86_400),
        values.integer("keepAliveSeconds", 0, 86_400),
        values.integer("maxConnectionAgeSeconds", 0, 86_400 * 30),
        values.integer("maxConnectionAgeGraceSeconds", 0, 86_400));
  }

  /** The environment variable each key is read from. */
  public static Map<String, String> environmentNames() {
    Map<String, String> names = new LinkedHashMap<>();
    for (String key : defaults().fieldNames()) {
      names.put(key, ENV_PREFIX + key.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT));
    }
    return names;
  }

  /** Whether calls to the catalog services need a bearer token. */
  public boolean authentication() {
    return jwtPublicKey != null || jwtSecretFile != null;
  }

  /** Whether the gRPC port speaks TLS. */
  public boolean tls() {
    return tlsCert != null;
  }

  /**
   * The HTTP/2 window per call: {@code streamWindowBytes}, raised to the largest message accepted with
   * the conformance services, so that their 10 MiB messages arrive without waiting for window updates.
   */
  public int effectiveStreamWindowBytes() {
    return conformance ? Math.max(streamWindowBytes, effectiveMaxMessageSize()) : streamWindowBytes;
  }

  /** The HTTP/2 window per connection: {@code connectionWindowBytes}, at least two calls' windows. */
  public int effectiveConnectionWindowBytes() {
    return (int) Math.min(Integer.MAX_VALUE, Math.max(connectionWindowBytes, 2L * effectiveStreamWindowBytes()));
  }

  /** The largest message accepted: {@code maxMessageSize}, raised for the conformance services. */
  public int effectiveMaxMessageSize() {
    return conformance ? Math.max(maxMessageSize, CONFORMANCE_MIN_MESSAGE_SIZE) : maxMessageSize;
  }

}
