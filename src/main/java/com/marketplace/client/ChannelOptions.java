package com.marketplace.client;

import io.vertx.core.net.HostAndPort;
import java.time.Duration;
import java.util.List;

/**
 * How a {@link BalancedChannel} finds, checks and uses its backends.
 *
 * @param targets               backends as HOST:PORT; a name with several addresses is that many backends
 * @param connectionsPerBackend HTTP/2 connections to each backend; a server gives each connection to one
 *                              event loop, so more connections spread one client's calls over more of them (1)
 * @param healthCheckInterval   how often each backend's {@code grpc.health.v1.Health/Check} is asked;
 *                              zero turns health checks off (1 s)
 * @param maxReconnectBackoff   a backend that cannot be reached is probed again after 100 ms, doubling up
 *                              to this (2 s)
 * @param resolveInterval       how often host names are looked up again, so that added and removed
 *                              addresses are seen (30 s)
 * @param retry                 which failed calls are sent again ({@link RetryPolicy#defaults()})
 * @param maxMessageSize        largest response message accepted, in bytes (4 MiB)
 * @param tls                   TLS to the backends, or null for cleartext (null)
 */
public record ChannelOptions(List<HostAndPort> targets, int connectionsPerBackend, Duration healthCheckInterval,
                             Duration maxReconnectBackoff, Duration resolveInterval, RetryPolicy retry,
                             long maxMessageSize, ClientTls tls) {

  public static final long DEFAULT_MAX_MESSAGE_SIZE = 4 * 1024 * 1024;

  public ChannelOptions {
    targets = List.copyOf(targets);
    if (targets.isEmpty()) {
      throw new IllegalArgumentException("at least one backend is needed");
    }
    if (connectionsPerBackend < 1) {
      throw new IllegalArgumentException("connections per backend must be >= 1");
    }
  }

  public static ChannelOptions of(List<HostAndPort> targets) {
    return new ChannelOptions(targets, 1, Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(30),
        RetryPolicy.defaults(), DEFAULT_MAX_MESSAGE_SIZE, null);
  }

  public ChannelOptions withConnectionsPerBackend(int connections) {
    return new ChannelOptions(targets, connections, healthCheckInterval, maxReconnectBackoff, resolveInterval, retry,
        maxMessageSize, tls);
  }

  public ChannelOptions withHealthCheckInterval(Duration interval) {
    return new ChannelOptions(targets, connectionsPerBackend, interval, maxReconnectBackoff, resolveInterval, retry,
        maxMessageSize, tls);
  }

  public ChannelOptions withResolveInterval(Duration interval) {
    return new ChannelOptions(targets, connectionsPerBackend, healthCheckInterval, maxReconnectBackoff, interval, retry,
        maxMessageSize, tls);
  }

  public ChannelOptions withRetry(RetryPolicy policy) {
    return new ChannelOptions(targets, connectionsPerBackend, healthCheckInterval, maxReconnectBackoff, resolveInterval,
        policy, maxMessageSize, tls);
  }

  public ChannelOptions withMaxMessageSize(long bytes) {
    return new ChannelOptions(targets, connectionsPerBackend, healthCheckInterval, maxReconnectBackoff, resolveInterval,
        retry, bytes, tls);
  }

  public ChannelOptions withTls(ClientTls clientTls) {
    return new ChannelOptions(targets, connectionsPerBackend, healthCheckInterval, maxReconnectBackoff, resolveInterval,
        retry, maxMessageSize, clientTls);
  }
}
