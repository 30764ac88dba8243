package com.marketplace.grpc;

/** The same lifecycle with every call, unary ones included, left to vertx-grpc's request and response. */
class ServerCallLifecycleOnVertxGrpcTest extends ServerCallLifecycleTest {

  @Override
  boolean unaryOnHttp() {
    return false;
  }
}
