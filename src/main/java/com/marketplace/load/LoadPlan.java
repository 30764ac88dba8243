package com.marketplace.load;

import com.marketplace.client.ClientTls;
import io.vertx.core.net.HostAndPort;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What a load run does.
 *
 * @param targets     servers, balanced round robin per call
 * @param rpc         the call made
 * @param concurrency calls in flight at once (closed loop), or at most (open loop)
 * @param connections HTTP/2 connections per backend and instance
 * @param duration    how long to measure, or null when {@code requests} bounds the run
 * @param requests    how many calls to measure, or 0 when {@code duration} bounds the run
 * @param rate        calls per second for an open loop, 0 for a closed loop
 * @param payload     request and response payload size, in bytes, for the benchmark calls
 * @param warmup      how long to run before measuring
 * @param instances   load verticles, each on its own event loop
 * @param json        where to write the summary as JSON, or null
 * @param maxAttempts attempts per call, retries included (see {@link com.marketplace.client.RetryPolicy})
 * @param timeout     how long an operation may take, zero for no limit (see {@link Rpc#open})
 * @param drain       how long the operations in flight when the run ends are waited for
 * @param tls         TLS to the servers, or null for cleartext
 */
public record LoadPlan(List<HostAndPort> targets, Rpc rpc, int concurrency, int connections, Duration duration,
                       long requests, double rate, int payload, Duration warmup, int instances, Path json,
                       int maxAttempts, Duration timeout, Duration drain, ClientTls tls) {

  public boolean openLoop() {
    return rate > 0;
  }
}
