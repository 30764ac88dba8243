package com.marketplace.testing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetSocket;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.function.Supplier;

/** Ports of processes the tests start. */
public final class Ports {

  private Ports() {}

  /** A port free right now, for a child process to bind. */
  public static int free() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Waits, up to 30 s, until {@code process} accepts connections on {@code port}; fails with its log if it died. */
  public static void awaitListening(int port, Process process, Path log) {
    awaitListening(port, process, () -> ChildJvm.read(log));
  }

  /** As {@link #awaitListening(int, Process, Path)}, for a process whose output {@code output} describes. */
  public static void awaitListening(int port, Process process, Supplier<String> output) {
    Vertx vertx = Vertx.vertx();
    try {
      TestServers.await(connect(vertx, port, process, System.nanoTime() + 30_000_000_000L));
    } catch (AssertionError e) {
      throw new AssertionError("process not listening on " + port + ":\n" + output.get(), e);
    } finally {
      vertx.close();
    }
  }

  private static Future<Void> connect(Vertx vertx, int port, Process process, long deadline) {
    return vertx.createNetClient().connect(port, "127.0.0.1").compose(NetSocket::close, notYet -> {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        return Future.failedFuture(notYet);
      }
      return vertx.timer(100).compose(v -> connect(vertx, port, process, deadline));
    });
  }
}
