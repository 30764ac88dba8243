package com.marketplace.testing;

import com.marketplace.Main;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A {@code serve} process of its own, listening on loopback; its output is in {@link #log()}. */
public record ServeProcess(Process process, int port, int managementPort, Path log) {

  /** Starts {@code serve} with one instance on the given ports and waits until its gRPC port listens. */
  public static ServeProcess start(int port, int managementPort, String... moreArgs) {
    Path log = ChildJvm.logFile(Main.class.getName());
    List<String> args = new ArrayList<>(List.of("serve", "--host", "127.0.0.1", "--port", String.valueOf(port),
        "--management-port", String.valueOf(managementPort), "--instances", "1"));
    args.addAll(List.of(moreArgs));
    Process process = ChildJvm.start(System.getProperty("java.class.path"), Main.class.getName(), args, log);
    Ports.awaitListening(port, process, log);
    return new ServeProcess(process, port, managementPort, log);
  }

  public String output() {
    return ChildJvm.read(log);
  }
}
