package com.marketplace.client;

import com.marketplace.testing.TestClients;
import static com.marketplace.testing.TestServers.await;
import static com.marketplace.testing.TestServers.serve;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marketplace.grpc.RpcException;
import com.marketplace.grpc.RpcService;
import com.marketplace.proto.api.ApiGrpcClient;
import com.marketplace.proto.api.ApiGrpcService;
import com.marketplace.proto.api.Hello;
import com.marketplace.proto.api.HelloRequest;
import com.marketplace.testing.Calls;
import com.marketplace.testing.TestServers;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerOptions;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A server call's remaining deadline bounds the calls it makes downstream. */
@ExtendWith(VertxExtension.class)
class DeadlinePropagationTest {

  @ParameterizedTest(name = "unary on HTTP: {0}")
  @ValueSource(booleans = {true, false})
  void aDownstreamCallGetsWhatIsLeftOfTheIncomingDeadline(boolean unaryOnHttp, Vertx vertx) {
    Promise<String> downstreamTimeout = Promise.promise();
    GrpcServer downstream = GrpcServer.server(vertx);
    downstream.callHandler(ApiGrpcService.sayHello, request -> downstreamTimeout.tryComplete(request.headers().get("grpc-timeout")));
    SocketAddress downstreamAddress = serve(vertx, downstream);

    HttpClient client = TestClients.http2(vertx);
    SocketAddress upstream = serve(vertx, relay(vertx, unaryOnHttp, client, downstreamAddress, 0, Promise.promise()));
    Calls.Outcome<Hello> outcome = await(Calls.call(client, upstream, ApiGrpcClient.sayHello, List.of(HelloRequest.getDefaultInstance()), 500));

    assertEquals(GrpcStatus.DEADLINE_EXCEEDED, outcome.status());
    String timeout = await(downstreamTimeout.future());
    long millis = millis(timeout);
    assertTrue(millis > 0 && millis <= 500, "downstream grpc-timeout " + timeout);
  }

  @ParameterizedTest(name = "unary on HTTP: {0}")
  @ValueSource(booleans = {true, false})
  void aDownstreamCallAfterTheDeadlineFailsAtOnceWithDeadlineExceeded(boolean unaryOnHttp, Vertx vertx) {
    GrpcServer downstream = GrpcServer.server(vertx);
    downstream.callHandler(ApiGrpcService.sayHello, request -> {
      throw new AssertionError("the expired call reached downstream");
    });
    HttpClient client = TestClients.http2(vertx);
    Promise<Throwable> downstreamFailure = Promise.promise();
    SocketAddress upstream = serve(vertx, relay(vertx, unaryOnHttp, client, serve(vertx, downstream), 400, downstreamFailure));
    await(Calls.call(client, upstream, ApiGrpcClient.sayHello, List.of(HelloRequest.getDefaultInstance()), 200));

    RpcException expired = (RpcException) await(downstreamFailure.future());
    assertEquals(GrpcStatus.DEADLINE_EXCEEDED, expired.status());
  }

  /**
   * A server whose sayHello waits {@code delayMs}, then calls sayHello downstream; its call answered on
   * the HTTP request ({@link com.marketplace.grpc.UnaryRoutes}), or by vertx-grpc.
   */
  private static Handler<HttpServerRequest> relay(Vertx vertx, boolean unaryOnHttp, HttpClient client, SocketAddress downstream,
                                                 long delayMs, Promise<Throwable> failure) {
    GrpcServer upstream = GrpcServer.server(vertx, new GrpcServerOptions().setDeadlinePropagation(true));
    RpcService relay = RpcService.builder(ApiGrpcService.SERVICE_NAME, ApiGrpcService.SERVICE_DESCRIPTOR)
        .unary(ApiGrpcService.sayHello, (request, call) -> (delayMs > 0 ? call.vertx().timer(delayMs).mapEmpty() : Future.succeededFuture())
            .compose(v -> ClientCall.call(client, downstream, ApiGrpcClient.sayHello, CallOptions.defaults(), 1024, List.of(request)))
            .map(result -> result.single())
            .onFailure(failure::tryComplete))
        .build();
    upstream.addService(relay);
    return unaryOnHttp ? TestServers.routing(upstream, List.of(relay)) : upstream;
  }

  /** A {@code grpc-timeout} value in milliseconds. */
  private static long millis(String timeout) {
    long value = Long.parseLong(timeout.substring(0, timeout.length() - 1));
    TimeUnit unit = switch (timeout.charAt(timeout.length() - 1)) {
      case 'H' -> TimeUnit.HOURS;
      case 'M' -> TimeUnit.MINUTES;
      case 'S' -> TimeUnit.SECONDS;
      case 'm' -> TimeUnit.MILLISECONDS;
      case 'u' -> TimeUnit.MICROSECONDS;
      default -> TimeUnit.NANOSECONDS;
    };
    return unit.toMillis(value);
  }
}
