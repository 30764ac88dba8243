package com.marketplace.grpc;

import static com.marketplace.testing.TestServers.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.marketplace.client.ResetFloodLimit;
import com.marketplace.server.MarketplaceServer;
import com.marketplace.testing.TestClients;
import com.marketplace.testing.TestServers;
import com.marketplace.testing.WireMessages;
import io.grpc.testing.integration.Messages.Payload;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.Messages.SimpleResponse;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A stream's small messages reach the client several to a DATA frame, whole and in order. */
@ExtendWith(VertxExtension.class)
class FramePackingTest {

  private static final int MESSAGES = 2_000;
  /** Windows larger than the whole test stream, so that no frame waits for one and grows while it does. */
  private static final int WINDOW_BYTES = 16 * 1024 * 1024;

  /** Empty messages fill frames by count, 500-byte ones by size. */
  @ParameterizedTest
  @ValueSource(ints = {0, 500})
  void smallStreamedMessagesShareFrames(int payloadBytes, Vertx vertx) {
    MarketplaceServer server = TestServers.start(vertx, TestServers.config(new JsonObject().put("conformance", true)));
    HttpClient http2 = TestClients.http(vertx, new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false).setInitialSettings(new Http2Settings().setInitialWindowSize(WINDOW_BYTES))
        .setHttp2ConnectionWindowSize(2 * WINDOW_BYTES));
    byte[] expected = payloadBytes == 0 ? new byte[0] : SimpleResponse.newBuilder()
        .setPayload(Payload.newBuilder().setBody(ByteString.copyFrom(new byte[payloadBytes]))).build().toByteArray();
    int messageBytes = MessageCodec.PREFIX_BYTES + expected.length;
    List<Integer> frames = new ArrayList<>();
    Buffer received = Buffer.buffer();
    Promise<Void> enough = Promise.promise();

    HttpClientRequest request = await(http2.request(HttpMethod.POST, TestServers.address(server).port(), "127.0.0.1",
        "/grpc.testing.BenchmarkService/StreamingFromServer"));
    // The resets this connection answers the frames in flight after its own reset with would trip its reset-flood limit.
    ResetFloodLimit.lift(request.connection());
    request.putHeader("content-type", "application/grpc").putHeader("te", "trailers");
    request.response().onSuccess(response -> response.handler(frame -> {
      // Frames keep coming until the reset below: once there are enough, the test thread reads these lists.
      if (enough.future().isComplete()) {
        return;
      }
      frames.add(frame.length());
      received.appendBuffer(frame);
      if (received.length() >= MESSAGES * messageBytes) {
        enough.tryComplete();
      }
    }));
    request.end(WireMessages.prefixed(SimpleRequest.newBuilder().setResponseSize(payloadBytes).build().toByteArray()));
    await(enough.future());
    request.reset();

    for (int at = 0; at + messageBytes <= received.length(); at += messageBytes) {
      assertEquals(0, received.getByte(at), "compressed flag of message at " + at);
      assertEquals(expected.length, received.getInt(at + 1), "length of message at " + at);
      assertEquals(Buffer.buffer(expected), received.getBuffer(at + MessageCodec.PREFIX_BYTES, at + messageBytes), "message at " + at);
    }
    int largest = frames.stream().mapToInt(Integer::intValue).max().orElseThrow();
    int limit = Math.min(FramePacking.FRAME_MESSAGES * messageBytes, FramePacking.FRAME_BYTES - 1 + messageBytes);
    assertTrue(largest <= limit, "largest frame " + largest + " bytes, more than " + limit);
    // Bursts can end before a frame is full (the stream's write queue fills), so only a share of the most is required:
    // 4 messages a frame on average when 32 fit, 2 when 8 fit. On a quiet machine empty messages take 64-80 frames; a
    // suite run on a busy one took 208, where 10 a frame had been required.
    int fit = Math.min(FramePacking.FRAME_MESSAGES, FramePacking.FRAME_BYTES / messageBytes);
    assertTrue(frames.size() * Math.max(2, fit / 8) < MESSAGES, frames.size() + " frames for " + MESSAGES + " messages");
  }
}
