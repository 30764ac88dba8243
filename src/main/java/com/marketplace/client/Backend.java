package com.marketplace.client;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;

/** One backend address of a {@link BalancedChannel}: its connections, health and call count. */
final class Backend {

  /** What the channel knows of a backend; only SERVING and UNKNOWN ones take calls. */
  enum State { UNKNOWN, SERVING, NOT_SERVING, UNREACHABLE }

  final SocketAddress address;
  private final List<BackendConnection> connections = new ArrayList<>();
  /**
   * Health checks have a connection of their own: on a call connection, a Check would wait behind
   * whatever a busy stream has queued, time out, and take a healthy backend out of rotation.
   */
  final BackendConnection probes;
  private int nextConnection;
  State state = State.UNKNOWN;
  /** Failed probes in a row, for the reconnect backoff. */
  int failures;
  long probeTimer = -1;
  long calls;
  boolean removed;

  /** @param target the channel's target that {@code address} is one of, which calls name as their authority */
  Backend(Vertx vertx, SocketAddress address, HostAndPort target, ChannelOptions options) {
    this.address = address;
    for (int i = 0; i < options.connectionsPerBackend(); i++) {
      this.connections.add(new BackendConnection(vertx, address, target, options.tls(), options.maxMessageSize()));
    }
    this.probes = new BackendConnection(vertx, address, target, options.tls(), options.maxMessageSize());
  }

  boolean takesCalls() {
    return !removed && (state == State.SERVING || state == State.UNKNOWN);
  }

  /** The next connection, round robin. */
  BackendConnection connection() {
    BackendConnection connection = connections.get(nextConnection);
    nextConnection = (nextConnection + 1) % connections.size();
    return connection;
  }

  Future<Void> close() {
    List<Future<Void>> closed = new ArrayList<>(connections.stream().map(BackendConnection::close).toList());
    closed.add(probes.close());
    return Future.all(closed).mapEmpty();
  }

  String name() {
    return Authority.name(address);
  }
}
