package com.marketplace.server;

import com.marketplace.testing.TestClients;
import static com.marketplace.testing.TestServers.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marketplace.client.CallOptions;
import com.marketplace.client.CallResult;
import com.marketplace.client.ClientCall;
import com.marketplace.grpc.RpcException;
import com.marketplace.proto.api.ApiGrpcClient;
import com.marketplace.proto.api.HelloRequest;
import com.marketplace.proto.bidirectional.BidirectionalGrpcClient;
import com.marketplace.proto.bidirectional.Message;
import com.marketplace.testing.Calls;
import com.marketplace.testing.Ports;
import com.marketplace.testing.ServeProcess;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpcClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** SIGTERM to a real {@code serve} process, with a stream in flight. */
@ExtendWith(VertxExtension.class)
class GracefulShutdownTest {

  private static ServeProcess serve(int grace) {
    return ServeProcess.start(Ports.free(), Ports.free(), "--shutdown-grace", String.valueOf(grace));
  }

  @Test
  void sigtermTurnsHealthNotServingRefusesNewCallsLetsTheStreamFinishAndExitsZero(Vertx vertx) throws Exception {
    ServeProcess served = serve(10);
    Process server = served.process();
    try {
      SocketAddress address = SocketAddress.inetSocketAddress(served.port(), "127.0.0.1");

      Promise<Void> serving = Promise.promise();
      Promise<Void> notServing = Promise.promise();
      ClientCall<HealthCheckRequest, HealthCheckResponse> watch = await(ClientCall.start(TestClients.http2(vertx), address,
          HealthGrpcClient.Watch, CallOptions.defaults(), 1024, status -> {
            if (status.getStatus() == ServingStatus.SERVING) {
              serving.tryComplete();
            } else if (serving.future().isComplete() && status.getStatus() == ServingStatus.NOT_SERVING) {
              notServing.tryComplete();
            }
          }));
      watch.write(HealthCheckRequest.getDefaultInstance());
      watch.end();
      await(serving.future());

      ClientCall<Message, Message> inFlight = openStream(vertx, address, "before");

      server.destroy();
      await(notServing.future());
      RpcException watchEnd = (RpcException) await(watch.result().transform(outcome -> Future.succeededFuture(outcome.cause())));
      assertEquals(GrpcStatus.UNAVAILABLE, watchEnd.status(), "health watches end as shutdown begins");
      assertEquals(GrpcStatus.UNAVAILABLE, await(refusedWithin(vertx, address, 40)), "a new call after SIGTERM");

      inFlight.write(Message.newBuilder().setMessage("after").build());
      inFlight.end();
      CallResult<Message> finished = await(inFlight.result());
      assertEquals(2, finished.messages().size(), "the stream in flight finished normally");

      assertTrue(server.waitFor(15, TimeUnit.SECONDS), "still running:\n" + served.output());
      assertEquals(0, server.exitValue(), served.output());
    } finally {
      server.destroyForcibly();
    }
  }

  @Test
  void aSecondSigtermDuringTheGracePeriodExitsAtOnce(Vertx vertx) throws Exception {
    ServeProcess served = serve(60);
    Process server = served.process();
    try {
      SocketAddress address = SocketAddress.inetSocketAddress(served.port(), "127.0.0.1");
      openStream(vertx, address, "hold");
      server.destroy();
      assertEquals(GrpcStatus.UNAVAILABLE, await(refusedWithin(vertx, address, 40)), "the graceful stop has begun");
      server.destroy();
      assertTrue(server.waitFor(15, TimeUnit.SECONDS), "still in its 60 s grace period:\n" + served.output());
      assertEquals(143, server.exitValue(), served.output());
    } finally {
      server.destroyForcibly();
    }
  }

  /** A bidirectional call, left open once its first message has been answered. */
  private static ClientCall<Message, Message> openStream(Vertx vertx, SocketAddress address, String first) {
    Promise<Void> answered = Promise.promise();
    ClientCall<Message, Message> call = await(ClientCall.start(TestClients.http2(vertx), address,
        BidirectionalGrpcClient.GetServerResponse, CallOptions.defaults(), 1024, answer -> answered.tryComplete()));
    call.write(Message.newBuilder().setMessage(first).build());
    await(answered.future());
    return call;
  }

  /** Tries a new call every 50 ms, up to {@code attempts} times, until one is not OK; its status. */
  private static Future<GrpcStatus> refusedWithin(Vertx vertx, SocketAddress address, int attempts) {
    return Calls.call(TestClients.http2(vertx), address, ApiGrpcClient.sayHello, HelloRequest.getDefaultInstance())
        .compose(outcome -> outcome.status() != GrpcStatus.OK || attempts <= 1
            ? Future.succeededFuture(outcome.status())
            : vertx.timer(50).compose(v -> refusedWithin(vertx, address, attempts - 1)));
  }

  @Test
  void aCallThatOutlivesTheGracePeriodIsCutAndTheProcessStillExitsZero(Vertx vertx) throws Exception {
    ServeProcess served = serve(1);
    Process server = served.process();
    try {
      openStream(vertx, SocketAddress.inetSocketAddress(served.port(), "127.0.0.1"), "hold");
      long stopAt = System.nanoTime();
      server.destroy();
      assertTrue(server.waitFor(10, TimeUnit.SECONDS), "still running:\n" + served.output());
      assertEquals(0, server.exitValue(), served.output());
      assertTrue(System.nanoTime() - stopAt >= TimeUnit.MILLISECONDS.toNanos(900), "the grace period was not given");
    } finally {
      server.destroyForcibly();
    }
  }
}
