package com.marketplace.load;

import com.google.protobuf.ByteString;
import com.marketplace.client.BalancedChannel;
import com.marketplace.client.CallOptions;
import com.marketplace.client.ClientCall;
import com.marketplace.grpc.RpcException;
import com.marketplace.proto.api.ApiGrpcClient;
import com.marketplace.proto.api.ApiRequest;
import com.marketplace.proto.benchmark.BenchmarkServiceGrpcClient;
import com.marketplace.proto.product.GetProductRequest;
import com.marketplace.proto.product.ListProductsByCategoryRequest;
import com.marketplace.proto.product.ProductServiceGrpcClient;
import io.grpc.testing.integration.Messages.Payload;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.TestServiceGrpcClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Queue;

/** The calls a load run can make. */
public enum Rpc {
  /** BenchmarkService/UnaryCall with {@code --payload} bytes each way. */
  BENCH_UNARY("bench-unary", true),
  /** TestService/UnaryCall with {@code --payload} bytes each way (up to 16 MiB): large-message round trips. */
  INTEROP_UNARY("interop-unary", true),
  /** BenchmarkService/StreamingCall: one stream per worker, each request-response round trip is one operation. */
  BENCH_PINGPONG("bench-pingpong", false),
  /** BenchmarkService/StreamingFromServer: one stream per worker, each message received is one operation. */
  BENCH_SERVER_STREAM("bench-server-stream", false),
  /** ProductService/GetProduct of p001. */
  GET_PRODUCT("get-product", true),
  /** ProductService/ListProductsByCategory of Electronics: one whole stream per operation. */
  LIST_PRODUCTS("list-products", true),
  /** Api/getStream of 1,000 items: one whole stream per operation. */
  GET_STREAM("get-stream", true),
  /** ProductService/LookupProducts: one stream per worker, each lookup is one operation. */
  LOOKUP_PRODUCTS("lookup-products", false);

  /** Generous for the 1,000-item streams; the benchmark calls are small. */
  static final long MAX_MESSAGE_SIZE = 16 * 1024 * 1024;
  /** A session's stream lasts the whole run: its messages go to the handler only, never kept. */
  private static final CallOptions STREAM_OPTIONS = CallOptions.defaults().withoutKeepingMessages();

  private final String cliName;
  private final boolean independentCalls;

  Rpc(String cliName, boolean independentCalls) {
    this.cliName = cliName;
    this.independentCalls = independentCalls;
  }

  public String cliName() {
    return cliName;
  }

  /** Each operation is a call of its own, so an open loop can send them at any time. */
  public boolean independentCalls() {
    return independentCalls;
  }

  /** Whether only a server with the conformance services ({@code serve --conformance}) has this call. */
  public boolean needsConformanceServices() {
    return switch (this) {
      case BENCH_UNARY, INTEROP_UNARY, BENCH_PINGPONG, BENCH_SERVER_STREAM -> true;
      default -> false;
    };
  }

  public static Optional<Rpc> named(String name) {
    return Arrays.stream(values()).filter(rpc -> rpc.cliName.equals(name)).findFirst();
  }

  public static List<String> names() {
    return Arrays.stream(values()).map(Rpc::cliName).toList();
  }

  /**
   * @param timeout how long an operation may take, zero for no limit: a call's deadline, or for a
   *                stream held for the whole run, how long each answer may take
   */
  Session open(Vertx vertx, BalancedChannel channel, int payloadSize, Duration timeout) {
    SimpleRequest simple = SimpleRequest.newBuilder().setResponseSize(payloadSize)
        .setPayload(Payload.newBuilder().setBody(ByteString.copyFrom(new byte[payloadSize]))).build();
    CallOptions options = timeout.isZero() ? CallOptions.defaults() : CallOptions.defaults().withTimeout(timeout);
    AnswerLimit limit = new AnswerLimit(vertx, timeout);
    return switch (this) {
      case BENCH_UNARY -> () -> call(channel, options, BenchmarkServiceGrpcClient.UnaryCall, simple);
      case INTEROP_UNARY -> () -> call(channel, options, TestServiceGrpcClient.UnaryCall, simple);
      case GET_PRODUCT -> () -> call(channel, options, ProductServiceGrpcClient.GetProduct,
          GetProductRequest.newBuilder().setProductId("p001").build());
      case LIST_PRODUCTS -> () -> call(channel, options, ProductServiceGrpcClient.ListProductsByCategory,
          ListProductsByCategoryRequest.newBuilder().setCategory("Electronics").build());
      case GET_STREAM -> () -> call(channel, options, ApiGrpcClient.getStream, ApiRequest.newBuilder().setLength(1000).build());
      case BENCH_PINGPONG -> new PingPong<>(channel, limit, BenchmarkServiceGrpcClient.StreamingCall, simple);
      case LOOKUP_PRODUCTS -> new PingPong<>(channel, limit, ProductServiceGrpcClient.LookupProducts,
          GetProductRequest.newBuilder().setProductId("p002").build());
      case BENCH_SERVER_STREAM -> new Received<>(channel, limit, BenchmarkServiceGrpcClient.StreamingFromServer, simple);
    };
  }

  private static <Req, Resp> Future<Void> call(BalancedChannel channel, CallOptions options, ServiceMethod<Resp, Req> method,
                                               Req request) {
    return channel.call(method, options, List.of(request)).mapEmpty();
  }

  /** How long an operation on a stream held for the whole run may wait for its answer, zero for no limit. */
  private record AnswerLimit(Vertx vertx, Duration timeout) {}

  /**
   * One stream of a session, with the operations waiting on it, oldest first. Each stream has its own,
   * so that a message from a stream given up on completes nothing of the next. An operation that
   * waits past the limit fails with DEADLINE_EXCEEDED, and the stream is given up and cancelled, so
   * that the next operation opens a new one: a server that stops answering cannot hold the run open.
   */
  private static final class HeldStream<Req, Resp> {
    final Queue<Promise<Void>> waiting = new ArrayDeque<>();
    final Future<ClientCall<Req, Resp>> call;
    private final AnswerLimit limit;
    private boolean givenUp;
    /** Messages that arrived while no operation was waiting (server streams). */
    long unclaimed;

    HeldStream(BalancedChannel channel, AnswerLimit limit, ServiceMethod<Resp, Req> method) {
      this.limit = limit;
      call = channel.start(method, STREAM_OPTIONS, message -> arrived());
      // When the stream fails, the operations waiting on it fail.
      call.compose(ClientCall::result).onFailure(error -> {
        List<Promise<Void>> failed = List.copyOf(waiting);
        waiting.clear();
        failed.forEach(promise -> promise.tryFail(error));
      });
    }

    private void arrived() {
      Promise<Void> next = waiting.poll();
      if (next != null) {
        next.complete();
      } else {
        unclaimed++;
      }
    }

    /** Whether the stream is over, so that the session's next operation needs a new one. */
    boolean ended() {
      return givenUp || call.failed() || (call.succeeded() && call.result().result().isComplete());
    }

    /** An operation that the next message completes; it fails if the stream cannot open, fails, or is past the limit. */
    Future<Void> await() {
      Promise<Void> next = Promise.promise();
      waiting.add(next);
      call.onFailure(next::tryFail);
      if (limit.timeout().isZero()) {
        return next.future();
      }
      long millis = limit.timeout().toMillis();
      long timer = limit.vertx().setTimer(millis, id -> giveUp(next, millis));
      return next.future().andThen(done -> limit.vertx().cancelTimer(timer));
    }

    private void giveUp(Promise<Void> operation, long millis) {
      if (operation.future().isComplete()) {
        return;
      }
      // Given up before the operation fails, as its failure may start the session's next operation at once.
      givenUp = true;
      operation.tryFail(new RpcException(GrpcStatus.DEADLINE_EXCEEDED, "No answer within " + millis + " ms"));
      call.onSuccess(ClientCall::cancel);
    }
  }

  /** A bidirectional stream where each request gets one answer: an operation is one round trip. */
  private static final class PingPong<Req, Resp> implements Session {
    private final BalancedChannel channel;
    private final AnswerLimit limit;
    private final ServiceMethod<Resp, Req> method;
    private final Req request;
    private HeldStream<Req, Resp> stream;

    PingPong(BalancedChannel channel, AnswerLimit limit, ServiceMethod<Resp, Req> method, Req request) {
      this.channel = channel;
      this.limit = limit;
      this.method = method;
      this.request = request;
      this.stream = new HeldStream<>(channel, limit, method);
    }

    @Override
    public Future<Void> next() {
      if (stream.ended()) {
        stream = new HeldStream<>(channel, limit, method);
      }
      Future<Void> answered = stream.await();
      stream.call.onSuccess(call -> call.write(request));
      return answered;
    }

    @Override
    public void close() {
      stream.call.onSuccess(ClientCall::end);
    }
  }

  /** A server stream: an operation is one message received. */
  private static final class Received<Req, Resp> implements Session {
    private final BalancedChannel channel;
    private final AnswerLimit limit;
    private final ServiceMethod<Resp, Req> method;
    private final Req request;
    private HeldStream<Req, Resp> stream;

    Received(BalancedChannel channel, AnswerLimit limit, ServiceMethod<Resp, Req> method, Req request) {
      this.channel = channel;
      this.limit = limit;
      this.method = method;
      this.request = request;
      this.stream = open();
    }

    private HeldStream<Req, Resp> open() {
      HeldStream<Req, Resp> opened = new HeldStream<>(channel, limit, method);
      opened.call.onSuccess(call -> call.end(request));
      return opened;
    }

    @Override
    public Future<Void> next() {
      if (stream.unclaimed > 0) {
        stream.unclaimed--;
        return Future.succeededFuture();
      }
      if (stream.ended()) {
        stream = open();
      }
      return stream.await();
    }

    @Override
    public void close() {
      stream.call.onSuccess(ClientCall::cancel);
    }
  }
}
