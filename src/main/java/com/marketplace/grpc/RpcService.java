package com.marketplace.grpc;

import com.google.protobuf.Descriptors;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.streams.ReadStream;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.Service;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A gRPC service assembled from one handler per method, each of one of the four RPC kinds.
 *
 * <p>Every call runs through a {@link ServerCall}, so each one ends with its true status, whatever
 * the handler does: a handler's failed future or thrown exception becomes a status, never a hang.
 */
public final class RpcService implements Service {

  /** Unary: one request, one response. */
  @FunctionalInterface
  public interface Unary<Req, Resp> {
    Future<Resp> handle(Req request, ServerCall<Req, Resp> call);
  }

  /** Server streaming: one request; responses go to the call; the future completes after the last one. */
  @FunctionalInterface
  public interface ServerStreaming<Req, Resp> {
    Future<Void> handle(Req request, ServerCall<Req, Resp> call);
  }

  /** Client streaming: a stream of requests, one response. */
  @FunctionalInterface
  public interface ClientStreaming<Req, Resp> {
    Future<Resp> handle(ReadStream<Req> requests, ServerCall<Req, Resp> call);
  }

  /** Bidirectional streaming: requests in, responses out to the call, until the future completes. */
  @FunctionalInterface
  public interface BidiStreaming<Req, Resp> {
    Future<Void> handle(ReadStream<Req> requests, ServerCall<Req, Resp> call);
  }

  private final ServiceName name;
  private final Descriptors.ServiceDescriptor descriptor;
  private final List<Registration<?, ?>> registrations;
  private final CallPolicy policy;

  private RpcService(ServiceName name, Descriptors.ServiceDescriptor descriptor, List<Registration<?, ?>> registrations,
                     CallPolicy policy) {
    this.name = name;
    this.descriptor = descriptor;
    this.registrations = List.copyOf(registrations);
    this.policy = policy;
  }

  public static Builder builder(ServiceName name, Descriptors.ServiceDescriptor descriptor) {
    return new Builder(name, descriptor);
  }

  @Override
  public ServiceName name() {
    return name;
  }

  @Override
  public Descriptors.ServiceDescriptor descriptor() {
    return descriptor;
  }

  /** This service, its calls handled under {@code policy} (by default {@link CallPolicy#defaults()}). */
  public RpcService withPolicy(CallPolicy policy) {
    return new RpcService(name, descriptor, registrations, policy);
  }

  /** Its methods, as mounted. */
  public List<ServiceMethod<?, ?>> methods() {
    return registrations.stream().<ServiceMethod<?, ?>>map(Registration::method).toList();
  }

  @Override
  public void bind(GrpcServer server) {
    registrations.forEach(registration -> registration.bind(server, policy));
  }

  /**
   * Adds, by path, a route for each unary method that answers a binary gRPC call on the HTTP request
   * itself ({@link UnaryHttpStream}) and returns true, or returns false for vertx-grpc to answer it.
   */
  void addUnaryRoutes(Map<String, Predicate<HttpServerRequest>> routes) {
    for (Registration<?, ?> registration : registrations) {
      if (registration.unary()) {
        String fullMethodName = registration.method().fullMethodName();
        routes.put("/" + fullMethodName, request -> registration.answer(request, fullMethodName, policy));
      }
    }
  }

  private record Registration<Req, Resp>(ServiceMethod<Req, Resp> method, boolean unary,
                                         Handler<ServerCallStart<Req, Resp>> start) {
    void bind(GrpcServer server, CallPolicy policy) {
      // ServiceMethod.fullMethodName() concatenates at each call; every call of this method shares one.
      String fullMethodName = method.fullMethodName();
      server.callHandler(method, request -> start(new VertxGrpcStream<>(request), fullMethodName, policy));
    }

    boolean answer(HttpServerRequest request, String fullMethodName, CallPolicy policy) {
      UnaryHttpStream<Req> stream = UnaryHttpStream.of(request, policy.maxMessageSize());
      if (stream == null) {
        return false;
      }
      start(stream, fullMethodName, policy);
      return true;
    }

    void start(CallStream<Req> stream, String fullMethodName, CallPolicy policy) {
      // Paused until the handler has attached its own handlers: an interceptor may take its time.
      stream.pause();
      ServerCall<Req, Resp> call = new ServerCall<>(stream, method, fullMethodName, policy.maxMessageSize());
      intercept(call, policy.interceptors(), 0, () -> {
        start.handle(new ServerCallStart<>(stream, call));
        stream.resume();
      });
    }
  }

  private static void intercept(ServerCall<?, ?> call, List<ServerInterceptor> interceptors, int index, Runnable handler) {
    if (!call.isOpen()) {
      return;
    }
    if (index == interceptors.size()) {
      handler.run();
      return;
    }
    try {
      interceptors.get(index).intercept(call, () -> intercept(call, interceptors, index + 1, handler));
    } catch (RuntimeException e) {
      call.fail(e);
    }
  }

  private record ServerCallStart<Req, Resp>(CallStream<Req> stream, ServerCall<Req, Resp> call) {}

  /** Collects the handlers of one service. */
  public static final class Builder {
    private final ServiceName name;
    private final Descriptors.ServiceDescriptor descriptor;
    private final List<Registration<?, ?>> registrations = new ArrayList<>();

    private Builder(ServiceName name, Descriptors.ServiceDescriptor descriptor) {
      this.name = name;
      this.descriptor = descriptor;
    }

    public <Req, Resp> Builder unary(ServiceMethod<Req, Resp> method, Unary<Req, Resp> handler) {
      return add(method, true, start -> readSingle(start, request ->
          invoke(() -> handler.handle(request, start.call())).onComplete(start.call()::complete, start.call()::fail)));
    }

    public <Req, Resp> Builder serverStreaming(ServiceMethod<Req, Resp> method, ServerStreaming<Req, Resp> handler) {
      return add(method, false, start -> {
        if (start.call().isTranscoded()) {
          start.call().answerStreamAsJsonArray();
        }
        readSingle(start, request -> endStream(start.call(), invoke(() -> handler.handle(request, start.call()))));
      });
    }

    public <Req, Resp> Builder clientStreaming(ServiceMethod<Req, Resp> method, ClientStreaming<Req, Resp> handler) {
      return add(method, false, start -> {
        ServerCall<Req, Resp> call = start.call();
        invoke(() -> handler.handle(new CallRequests<>(start.stream(), call), call)).onComplete(call::complete, call::fail);
      });
    }

    public <Req, Resp> Builder bidiStreaming(ServiceMethod<Req, Resp> method, BidiStreaming<Req, Resp> handler) {
      return add(method, false, start -> {
        ServerCall<Req, Resp> call = start.call();
        endStream(call, invoke(() -> handler.handle(new CallRequests<>(start.stream(), call), call)));
      });
    }

    public RpcService build() {
      return new RpcService(name, descriptor, registrations, CallPolicy.defaults());
    }

    private <Req, Resp> Builder add(ServiceMethod<Req, Resp> method, boolean unary,
                                    Handler<ServerCallStart<Req, Resp>> start) {
      registrations.add(new Registration<>(method, unary, start));
      return this;
    }
  }

  /** Unary and server-streaming calls take exactly one request message, complete once the client half-closes. */
  private static <Req, Resp> void readSingle(ServerCallStart<Req, Resp> start, Handler<Req> onRequest) {
    ServerCall<Req, Resp> call = start.call();
    List<Req> received = new ArrayList<>(1);
    call.requestHandler(message -> {
      if (received.isEmpty()) {
        received.add(message);
      } else {
        call.fail(new RpcException(GrpcStatus.INTERNAL, "More than one request message for a single-request method"));
      }
    });
    start.stream().endHandler(v -> {
      if (received.isEmpty()) {
        call.fail(new RpcException(GrpcStatus.INTERNAL, "Half-closed without a request message"));
      } else if (call.isOpen()) {
        onRequest.handle(received.get(0));
      }
    });
  }

  private static void endStream(ServerCall<?, ?> call, Future<Void> work) {
    work.onComplete(v -> call.complete(), call::fail);
  }

  /** Runs handler code so that a thrown exception or a null future becomes a failed future. */
  private static <T> Future<T> invoke(Supplier<Future<T>> handler) {
    try {
      Future<T> result = handler.get();
      return result != null ? result : Future.failedFuture(new NullPointerException("handler returned no future"));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }
}
