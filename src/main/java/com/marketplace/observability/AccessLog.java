package com.marketplace.observability;

import com.marketplace.grpc.ServerCall;
import com.marketplace.grpc.ServerInterceptor;
import com.marketplace.grpc.UnknownMethodCall;
import io.vertx.grpc.common.GrpcStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;
import org.slf4j.event.Level;

/**
 * One structured line per call on the {@code marketplace.access} logger, as {@code key=value}
 * pairs: method, peer, status, duration, messages and bytes each way. Metadata, and so tokens,
 * are never logged.
 */
public final class AccessLog implements ServerInterceptor {

  public static final String LOGGER = "marketplace.access";
  private static final Logger log = LoggerFactory.getLogger(LOGGER);

  private final Level level;

  /** @param level the level lines are logged at; they show when the logger is enabled for it */
  public AccessLog(Level level) {
    this.level = level;
  }

  @Override
  public void intercept(ServerCall<?, ?> call, Runnable proceed) {
    call.whenClosed().onSuccess(status -> line(call.methodName(), call.peer(), status, call.elapsedNanos())
        .addKeyValue("msgs_in", call.messagesReceived())
        .addKeyValue("msgs_out", call.messagesSent())
        .addKeyValue("bytes_in", call.bytesReceived())
        .addKeyValue("bytes_out", call.bytesSent())
        .log("call"));
    proceed.run();
  }

  /** Its line has no message or byte counts: vertx-grpc answered it without reading it. */
  @Override
  public void unknownMethod(UnknownMethodCall call) {
    line(call.methodName(), call.peer(), call.status(), call.elapsedNanos()).log("call");
  }

  private LoggingEventBuilder line(String method, String peer, GrpcStatus status, long elapsedNanos) {
    return log.atLevel(level)
        .addKeyValue("method", method)
        .addKeyValue("peer", peer)
        .addKeyValue("status", status.name())
        .addKeyValue("duration_ms", String.format("%.3f", elapsedNanos / 1e6));
  }
}
