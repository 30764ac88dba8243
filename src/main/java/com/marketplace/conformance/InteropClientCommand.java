package com.marketplace.conformance;

import com.marketplace.NativeTransport;
import com.marketplace.Main;
import com.marketplace.client.ClientTls;
import com.marketplace.client.Http2Clients;
import com.marketplace.client.TlsFlags;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code interop-client}: runs grpc interop test cases against a server with our Vert.x client. */
@Command(name = "interop-client", mixinStandardHelpOptions = true,
    description = "Run gRPC interop test cases against a grpc.testing.TestService server. Exit 0: all passed; 1: a case failed.")
public final class InteropClientCommand implements Callable<Integer> {

  private static final long CASE_TIMEOUT_SECONDS = 60;

  @Spec
  CommandSpec spec;

  @Option(names = "--host", description = "Server host (default: localhost)", defaultValue = "localhost")
  String host;

  @Option(names = "--port", required = true, description = "Server port")
  int port;

  @Option(names = "--server-host-override", paramLabel = "NAME",
      description = "The server's name for TLS (the certificate must name it) and for the calls' :authority, in place of"
          + " --host, which is still the address connected to (as grpc-java's --server_host_override)")
  String serverHostOverride;

  @Option(names = "--test-case", paramLabel = "NAME", defaultValue = "all",
      description = "A case name, or all (default: all)")
  String testCase;

  @Mixin
  TlsFlags tlsFlags;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    ClientTls tls;
    try {
      tls = tlsFlags.tls();
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      return Main.EXIT_BAD_INPUT;
    }
    SocketAddress server;
    try {
      server = server();
    } catch (UnknownHostException e) {
      spec.commandLine().getErr().println("error: cannot resolve --host " + host);
      return 1;
    }
    Vertx vertx = Vertx.vertx(NativeTransport.vertxOptions());
    try {
      InteropCases cases = new InteropCases(Http2Clients.create(vertx, tls, InteropCases.MAX_MESSAGE_SIZE), server);
      if (!testCase.equals("all") && !cases.names().contains(testCase)) {
        spec.commandLine().getErr().println("error: unknown test case '" + testCase + "' (known: all, "
            + String.join(", ", cases.names()) + ")");
        return Main.EXIT_BAD_INPUT;
      }
      List<String> toRun = testCase.equals("all") ? cases.names() : List.of(testCase);
      int failed = 0;
      for (String name : toRun) {
        String failure = outcome(cases.run(name));
        out.println(failure == null ? name + ": passed" : name + ": FAILED: " + failure);
        out.flush();
        failed += failure == null ? 0 : 1;
      }
      if (toRun.size() > 1) {
        out.println((toRun.size() - failed) + " passed, " + failed + " failed");
      }
      return failed == 0 ? 0 : 1;
    } finally {
      vertx.close();
    }
  }

  /**
   * The server to call: {@code --host}, or with an override, {@code --host}'s address under the
   * override's name, which Vert.x then uses for TLS and the authority while connecting to the address.
   */
  private SocketAddress server() throws UnknownHostException {
    if (serverHostOverride == null) {
      return SocketAddress.inetSocketAddress(port, host);
    }
    InetAddress named = InetAddress.getByAddress(serverHostOverride, InetAddress.getByName(host).getAddress());
    return SocketAddress.inetSocketAddress(new InetSocketAddress(named, port));
  }

  /** Null when the case passed, else a one-line reason. */
  private static String outcome(Future<Void> run) {
    try {
      run.toCompletionStage().toCompletableFuture().get(CASE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      return null;
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause().getClass().getSimpleName() + ": " + oneLine(e.getCause().getMessage());
    } catch (java.util.concurrent.TimeoutException e) {
      return "no outcome within " + CASE_TIMEOUT_SECONDS + " s";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  private static String oneLine(String message) {
    return message == null ? "" : message.replace('\n', ' ').replace('\r', ' ');
  }
}
