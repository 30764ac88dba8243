package com.marketplace.client;

import com.marketplace.grpc.RpcException;
import io.vertx.grpc.common.GrpcStatus;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When a failed call is sent again, and after how long.
 *
 * <p>A call is retried when it failed with UNAVAILABLE and either no server saw it
 * ({@link RpcException#unprocessed()}) or its method is idempotent; never for a method in
 * {@code neverRetried}. Waits grow exponentially from {@code initialBackoff} to {@code maxBackoff},
 * with jitter, and the call's deadline bounds every attempt and wait together.
 *
 * @param maxAttempts    attempts in all, the first included; 1 turns retries off
 * @param initialBackoff wait before the second attempt
 * @param maxBackoff     longest wait between attempts
 * @param idempotent     full method names ({@code package.Service/Method}) safe to run twice
 * @param neverRetried   full method names never sent twice, even when no server saw them
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Set<String> idempotent,
                          Set<String> neverRetried) {

  /** The marketplace's read-only methods. */
  public static final Set<String> MARKETPLACE_IDEMPOTENT = Set.of(
      "product.ProductService/GetProduct", "Recommendations/Recommend", "api.Api/sayHello", "api.Api/getAll");
  /** Uploads change the catalog and stream their requests; they are never repeated. */
  public static final Set<String> MARKETPLACE_NEVER_RETRIED = Set.of("product.ProductService/UploadProducts");

  /** Three attempts, 50 ms growing to 1 s, for the marketplace's methods. */
  public static RetryPolicy defaults() {
    return new RetryPolicy(3, Duration.ofMillis(50), Duration.ofSeconds(1), MARKETPLACE_IDEMPOTENT,
        MARKETPLACE_NEVER_RETRIED);
  }

  public RetryPolicy withMaxAttempts(int attempts) {
    if (attempts < 1) {
      throw new IllegalArgumentException("retry attempts must be >= 1");
    }
    return new RetryPolicy(attempts, initialBackoff, maxBackoff, idempotent, neverRetried);
  }

  /** Whether attempt number {@code attempt} (1 for the first), which failed with {@code failure}, may be followed by another. */
  public boolean retries(String fullMethodName, int attempt, Throwable failure) {
    if (attempt >= maxAttempts || neverRetried.contains(fullMethodName)
        || !(failure instanceof RpcException rpc) || rpc.status() != GrpcStatus.UNAVAILABLE) {
      return false;
    }
    return rpc.unprocessed() || idempotent.contains(fullMethodName);
  }

  /** The wait after attempt number {@code attempt}: exponential, capped, with up to 20% jitter either way. */
  public long backoffMillis(int attempt) {
    double base = Math.min(maxBackoff.toMillis(), initialBackoff.toMillis() * Math.pow(2, attempt - 1));
    return Math.max(1, Math.round(base * ThreadLocalRandom.current().nextDouble(0.8, 1.2)));
  }
}
