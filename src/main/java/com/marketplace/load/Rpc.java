package com.marketplace.load;

import com.google.protobuf.ByteString;
import com.marketplace.client.BalancedChannel;
import com.marketplace.client.CallOptions;
import com.marketplace.client.ClientCall;
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
import io.vertx.grpc.common.ServiceMethod;
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

  public static Optional<Rpc> named(String name) {
    return Arrays.stream(values()).filter(rpc -> rpc.cliName.equals(name)).findFirst();
  }

  public static List<String> names() {
    return Arrays.stream(values()).map(Rpc::cliName).toList();
  }

  Session open(BalancedChannel channel, int payloadSize) {
    SimpleRequest simple = SimpleRequest.newBuilder().setResponseSize(payloadSize)
        .setPayload(Payload.newBuilder().setBody(ByteString.copyFrom(new byte[payloadSize]))).build();
    return switch (this) {
      case BENCH_UNARY -> () -> call(channel, BenchmarkServiceGrpcClient.UnaryCall, simple);
      case INTEROP_UNARY -> () -> call(channel, TestServiceGrpcClient.UnaryCall, simple);
      case GET_PRODUCT -> () -> call(channel, ProductServiceGrpcClient.GetProduct,
          GetProductRequest.newBuilder().setProductId("p001").build());
      case LIST_PRODUCTS -> () -> call(channel, ProductServiceGrpcClient.ListProductsByCategory,
          ListProductsByCategoryRequest.newBuilder().setCategory("Electronics").build());
      case GET_STREAM -> () -> call(channel, ApiGrpcClient.getStream, ApiRequest.newBuilder().setLength(1000).build());
      case BENCH_PINGPONG -> new PingPong<>(channel, BenchmarkServiceGrpcClient.StreamingCall, simple);
      case LOOKUP_PRODUCTS -> new PingPong<>(channel, ProductServiceGrpcClient.LookupProducts,
          GetProductRequest.newBuilder().setProductId("p002").build());
      case BENCH_SERVER_STREAM -> new Received<>(channel, BenchmarkServiceGrpcClient.StreamingFromServer, simple);
    };
  }

  private static <Req, Resp> Future<Void> call(BalancedChannel channel, ServiceMethod<Resp, Req> method, Req request) {
    return channel.call(method, CallOptions.defaults(), List.of(request)).mapEmpty();
  }

  /** Whether a session's stream is over, so that its next operation needs a new one. */
  private static boolean ended(Future<? extends ClientCall<?, ?>> stream) {
    return stream.failed() || (stream.succeeded() && stream.result().result().isComplete());
  }

  /** Fails every operation still waiting on a stream that has ended. */
  private static void failWaiting(Queue<Promise<Void>> waiting, Throwable error) {
    List<Promise<Void>> failed = List.copyOf(waiting);
    waiting.clear();
    failed.forEach(promise -> promise.tryFail(error));
  }

  /**
   * A bidirectional stream where each request gets one answer: an operation is one round trip.
   * When the stream fails, the operations waiting on it fail, and the next one opens a new stream.
   */
  private static final class PingPong<Req, Resp> implements Session {
    private final BalancedChannel channel;
    private final ServiceMethod<Resp, Req> method;
    private final Req request;
    private final Queue<Promise<Void>> waiting = new ArrayDeque<>();
    private Future<ClientCall<Req, Resp>> stream;

    PingPong(BalancedChannel channel, ServiceMethod<Resp, Req> method, Req request) {
      this.channel = channel;
      this.method = method;
      this.request = request;
      this.stream = open();
    }

    private Future<ClientCall<Req, Resp>> open() {
      Future<ClientCall<Req, Resp>> opened = channel.start(method, STREAM_OPTIONS, answer -> {
        Promise<Void> next = waiting.poll();
        if (next != null) {
          next.complete();
        }
      });
      opened.compose(ClientCall::result).onFailure(error -> failWaiting(waiting, error));
      return opened;
    }

    @Override
    public Future<Void> next() {
      if (ended(stream)) {
        stream = open();
      }
      return stream.compose(call -> {
        Promise<Void> answered = Promise.promise();
        waiting.add(answered);
        call.write(request);
        return answered.future();
      });
    }

    @Override
    public void close() {
      stream.onSuccess(ClientCall::end);
    }
  }

  /**
   * A server stream: an operation is one message received. When the stream fails, the operations
   * waiting on it fail, and the next one opens a new stream.
   */
  private static final class Received<Req, Resp> implements Session {
    private final BalancedChannel channel;
    private final ServiceMethod<Resp, Req> method;
    private final Req request;
    private final Queue<Promise<Void>> waiting = new ArrayDeque<>();
    private Future<ClientCall<Req, Resp>> stream;
    private long arrived;

    Received(BalancedChannel channel, ServiceMethod<Resp, Req> method, Req request) {
      this.channel = channel;
      this.method = method;
      this.request = request;
      this.stream = open();
    }

    private Future<ClientCall<Req, Resp>> open() {
      arrived = 0;
      Future<ClientCall<Req, Resp>> opened = channel.start(method, STREAM_OPTIONS, message -> {
        Promise<Void> next = waiting.poll();
        if (next != null) {
          next.complete();
        } else {
          arrived++;
        }
      });
      opened.onSuccess(call -> {
        call.write(request);
        call.end();
      });
      opened.compose(ClientCall::result).onFailure(error -> failWaiting(waiting, error));
      return opened;
    }

    @Override
    public Future<Void> next() {
      if (arrived > 0) {
        arrived--;
        return Future.succeededFuture();
      }
      if (ended(stream)) {
        stream = open();
      }
      Promise<Void> next = Promise.promise();
      waiting.add(next);
      // A stream that fails to open fails its first operation too.
      stream.onFailure(next::tryFail);
      return next.future();
    }

    @Override
    public void close() {
      stream.onSuccess(ClientCall::cancel);
    }
  }
}
