package com.marketplace.grpc;

import static com.marketplace.testing.TestServers.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marketplace.testing.TestClients;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.junit5.VertxExtension;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a flush writes reaches the socket as one direct buffer, every byte in the order written, and
 * a write the channel can no longer make fails as it would without merging.
 */
@ExtendWith(VertxExtension.class)
class WriteMergingTest {

  @Test
  void aFlushOfSmallFramesReachesTheSocketAsOneDirectBuffer(Vertx vertx) {
    SocketWrites socket = new SocketWrites();
    HttpServer server = serve(vertx, connection -> ConnectionChannel.of(connection).pipeline().addFirst(socket), response -> {
      response.putHeader("content-type", "text/plain").write("a");
      response.write("b");
      response.putTrailer("checksum", "abc").end("c");
    });

    TestClients.HttpReply reply = await(TestClients.exchange(http2(vertx), get(server), null));

    assertEquals("abc", reply.body().toString());
    assertEquals("abc", reply.trailers().get("checksum"));
    assertFalse(socket.buffersPerFlush.isEmpty(), "no flush reached the socket");
    assertTrue(socket.buffersPerFlush.stream().allMatch(buffers -> buffers <= 1), "buffers per flush: " + socket.buffersPerFlush);
    assertEquals(0, socket.heapBuffers, "heap buffers that reached the socket");
  }

  /** Heap writes, large direct ones that pass untouched, tiny ones and frame-sized ones, in one body. */
  @Test
  void aBodyOfSmallAndLargeWritesArrivesWholeAndInOrder(Vertx vertx) {
    int[] sizes = {1, 7, 900, 1_500, 16_384, 16_385, 40_000, 3, 5_000, 70_000, 2};
    Buffer expected = Buffer.buffer();
    HttpServer server = serve(vertx, connection -> { }, response -> {
      response.setChunked(true);
      for (int i = 0; i < sizes.length; i++) {
        Buffer chunk = chunk(i, sizes[i], i % 3 == 2);
        expected.appendBuffer(chunk.copy());
        response.write(chunk);
      }
      response.end();
    });

    TestClients.HttpReply reply = await(TestClients.exchange(http2(vertx), get(server), null));

    assertEquals(expected.length(), reply.body().length());
    assertEquals(expected, reply.body());
  }

  @Test
  void aWriteHeldWhenTheChannelClosesFailsAndIsReleased(Vertx vertx) {
    Promise<Channel> connected = Promise.promise();
    HttpServer server = serve(vertx, connection -> connected.complete(ConnectionChannel.of(connection)), response -> { });
    HttpClient http2 = http2(vertx);
    http2.request(get(server)).compose(request -> request.send());
    Channel channel = await(connected.future());
    ByteBuf held = Unpooled.directBuffer().writeBytes(new byte[] {1, 2, 3});
    Promise<ChannelFuture> written = Promise.promise();

    channel.eventLoop().execute(() -> {
      // From the handler in front of the merging, so that it takes the write, and the close before any flush.
      ChannelHandlerContext front = channel.pipeline().context(FlushConsolidationHandler.class);
      ChannelFuture write = front.write(held);
      front.close();
      write.addListener(done -> written.complete(write));
    });
    ChannelFuture write = await(written.future());

    assertFalse(write.isSuccess(), "a write the channel never made succeeded");
    assertInstanceOf(ClosedChannelException.class, write.cause());
    assertEquals(0, held.refCnt(), "the held buffer was not released");
  }

  private static HttpServer serve(Vertx vertx, Consumer<HttpConnection> alsoOnConnection, Consumer<HttpServerResponse> respond) {
    return await(vertx.createHttpServer()
        .connectionHandler(connection -> {
          FlushCoalescing.install(connection);
          alsoOnConnection.accept(connection);
        })
        .requestHandler(request -> respond.accept(request.response()))
        .listen(0, "127.0.0.1"));
  }

  private static HttpClient http2(Vertx vertx) {
    return TestClients.http(vertx, new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
  }

  private static RequestOptions get(HttpServer server) {
    return new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(server.actualPort()).setURI("/");
  }

  /** Bytes that tell chunks and positions apart, on the heap or, when {@code direct}, in direct memory. */
  private static Buffer chunk(int index, int size, boolean direct) {
    ByteBuf bytes = direct ? Unpooled.directBuffer(size) : Unpooled.buffer(size);
    for (int at = 0; at < size; at++) {
      bytes.writeByte(index * 31 + at);
    }
    return BufferInternal.buffer(bytes);
  }

  /** At the socket end of the pipeline: how many buffers each flush carried, and how many were on the heap. */
  private static final class SocketWrites extends ChannelOutboundHandlerAdapter {
    final List<Integer> buffersPerFlush = new ArrayList<>();
    int heapBuffers;
    private int buffers;

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      if (msg instanceof ByteBuf buffer) {
        buffers++;
        heapBuffers += buffer.isDirect() ? 0 : 1;
      }
      ctx.write(msg, promise);
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
      buffersPerFlush.add(buffers);
      buffers = 0;
      ctx.flush();
    }
  }
}
