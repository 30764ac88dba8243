package com.marketplace.grpc;

import static com.marketplace.testing.TestServers.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marketplace.proto.api.ApiGrpcClient;
import com.marketplace.proto.api.ApiGrpcService;
import com.marketplace.proto.api.ApiRequest;
import com.marketplace.proto.api.Item;
import com.marketplace.testing.Calls;
import com.marketplace.testing.Calls.Outcome;
import com.marketplace.testing.TestClients;
import com.marketplace.testing.TestServers;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.junit5.VertxExtension;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A stream written one {@link ServerCall#send} after another keeps nothing of the sends that are
 * done (each once left a listener on the call until its end, so a long stream grew the heap without
 * bound), and a send still waiting when the call ends fails with {@link CallClosedException}.
 */
@ExtendWith(VertxExtension.class)
class MessageByMessageStreamTest {

  private static final int SENDS = 1_000;
  private static final int COLLECTIONS = 5;

  @Test
  void sendsThatAreDoneAreNotHeldByTheOpenCall(Vertx vertx) {
    Promise<List<WeakReference<Future<Void>>>> allSent = Promise.promise();
    Promise<Context> serverContext = Promise.promise();
    Promise<Void> finish = Promise.promise();
    SocketAddress server = serve(vertx, (request, call) -> {
      serverContext.complete(Vertx.currentContext());
      List<WeakReference<Future<Void>>> sends = new ArrayList<>();
      Promise<Void> sent = Promise.promise();
      sendFrom(1, call, sends, sent);
      sent.future().onSuccess(v -> allSent.complete(sends));
      // The call stays open until the test has looked.
      return sent.future().compose(v -> finish.future());
    });
    Future<Outcome<Item>> answer = Calls.call(TestClients.http2(vertx), server, ApiGrpcClient.getStream,
        ApiRequest.getDefaultInstance());

    List<WeakReference<Future<Void>>> sends = await(allSent.future());
    long held = sends.size();
    for (int i = 0; i < COLLECTIONS && held > 1; i++) {
      System.gc();
      held = sends.stream().filter(send -> send.get() != null).count();
    }
    await(serverContext.future()).runOnContext(v -> finish.complete());

    assertEquals(SENDS, await(answer).messages().size());
    // One may stay, as the stream's drain handler, if the client was ever slower than the sends.
    assertTrue(held <= 1, held + " of " + SENDS + " finished sends still held by the open call");
  }

  @Test
  void aSendWaitingWhenTheCallEndsFails(Vertx vertx) {
    Promise<Throwable> failure = Promise.promise();
    SocketAddress server = serve(vertx, (request, call) -> {
      int[] made = {0};
      Future<Void> endless = call.sendAll(Stream.generate(() -> {
        if (++made[0] == SENDS) {
          // Ended from outside the send, as a deadline or another part of the handler would.
          call.vertx().runOnContext(v -> call.fail(new RpcException(GrpcStatus.ABORTED, "stop")));
        }
        return Item.newBuilder().setId(made[0]).build();
      }).iterator());
      endless.onFailure(failure::complete);
      return endless;
    });

    Calls.call(TestClients.http2(vertx), server, ApiGrpcClient.getStream, ApiRequest.getDefaultInstance());

    CallClosedException closed = assertInstanceOf(CallClosedException.class, await(failure.future()));
    assertEquals(GrpcStatus.ABORTED, closed.reason());
  }

  /**
   * Sends item {@code id} and, once it is written, the next, up to {@link #SENDS}, each in a turn of
   * its own (sends that complete at once would otherwise recurse that deep).
   */
  private static void sendFrom(int id, ServerCall<ApiRequest, Item> call, List<WeakReference<Future<Void>>> sends,
                               Promise<Void> done) {
    if (id > SENDS) {
      done.complete();
      return;
    }
    Future<Void> send = call.send(Item.newBuilder().setId(id).build());
    sends.add(new WeakReference<>(send));
    send.onSuccess(v -> call.vertx().runOnContext(next -> sendFrom(id + 1, call, sends, done)))
        .onFailure(done::fail);
  }

  private static SocketAddress serve(Vertx vertx, RpcService.ServerStreaming<ApiRequest, Item> handler) {
    GrpcServer grpc = GrpcServer.server(vertx);
    grpc.addService(RpcService.builder(ApiGrpcService.SERVICE_NAME, ApiGrpcService.SERVICE_DESCRIPTOR)
        .serverStreaming(ApiGrpcService.getStream, handler)
        .build());
    return TestServers.serve(vertx, grpc);
  }
}
