package com.marketplace.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * A port where connecting waits, as to a host that drops every packet: nothing accepts its
 * connections, and once its accept queue is full Linux drops further connection requests.
 */
public final class SilentPort implements AutoCloseable {

  private final ServerSocket listener;
  private final List<Socket> queued = new ArrayList<>();

  private SilentPort() throws IOException {
    listener = new ServerSocket();
    listener.bind(new InetSocketAddress("127.0.0.1", 0), 1);
    // Connects that the kernel completes fill the queue; the first one that waits shows it full.
    for (int i = 0; i < 8; i++) {
      Socket socket = new Socket();
      try {
        socket.connect(listener.getLocalSocketAddress(), 200);
        queued.add(socket);
      } catch (SocketTimeoutException full) {
        socket.close();
        return;
      }
    }
    close();
    throw new IllegalStateException("the accept queue of port " + port() + " never filled");
  }

  public static SilentPort open() throws IOException {
    return new SilentPort();
  }

  public int port() {
    return listener.getLocalPort();
  }

  @Override
  public void close() throws IOException {
    for (Socket socket : queued) {
      socket.close();
    }
    listener.close();
  }
}
