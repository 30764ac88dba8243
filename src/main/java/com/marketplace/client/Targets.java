package com.marketplace.client;

import io.vertx.core.net.HostAndPort;
import java.util.ArrayList;
import java.util.List;

/** Parses the {@code HOST:PORT[,HOST:PORT...]} lists that name backends on the command line. */
public final class Targets {

  private Targets() {
  }

  /** The listed backends, in order; an {@link IllegalArgumentException} names the first bad entry. */
  public static List<HostAndPort> parse(String list) {
    List<HostAndPort> targets = new ArrayList<>();
    for (String entry : list.split(",")) {
      targets.add(parseOne(entry.trim()));
    }
    return List.copyOf(targets);
  }

  private static HostAndPort parseOne(String text) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("expected HOST:PORT, got '" + text + "'");
    }
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad port in '" + text + "'");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port out of range in '" + text + "'");
    }
    String host = text.substring(0, colon);
    // [::1]:50051 names an IPv6 address
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return HostAndPort.create(host, port);
  }
}
