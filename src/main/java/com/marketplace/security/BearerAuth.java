package com.marketplace.security;

import com.marketplace.grpc.RpcException;
import com.marketplace.grpc.ServerCall;
import com.marketplace.grpc.ServerInterceptor;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.grpc.common.GrpcStatus;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the call's {@code authorization: Bearer <JWT>}: signature, issuer, audience and expiry
 * (UNAUTHENTICATED when any is wrong or the token is missing), then the scope the method needs
 * (PERMISSION_DENIED). Tokens are never logged or echoed.
 */
public final class BearerAuth implements ServerInterceptor {

  private static final Logger log = LoggerFactory.getLogger(BearerAuth.class);
  private static final String PREFIX = "Bearer ";

  private final JWTAuth jwt;

  public BearerAuth(JWTAuth jwt) {
    this.jwt = jwt;
  }

  @Override
  public void intercept(ServerCall<?, ?> call, Runnable proceed) {
    String scope = MethodScopes.required(call.serviceName(), call.simpleMethodName());
    if (scope == null) {
      proceed.run();
      return;
    }
    String authorization = call.headers().get("authorization");
    if (authorization == null || !authorization.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      call.fail(new RpcException(GrpcStatus.UNAUTHENTICATED, "Missing bearer token"));
      return;
    }
    jwt.authenticate(new TokenCredentials(authorization.substring(PREFIX.length()).trim())).onComplete(authenticated -> {
      if (authenticated.failed()) {
        log.debug("{} from {}: bearer token refused: {}", call.methodName(), call.peer(), authenticated.cause().getMessage());
        call.fail(new RpcException(GrpcStatus.UNAUTHENTICATED, "Invalid bearer token"));
      } else if (!authenticated.result().attributes().containsKey("exp")) {
        call.fail(new RpcException(GrpcStatus.UNAUTHENTICATED, "Bearer token without an expiry"));
      } else if (!hasScope(authenticated.result(), scope)) {
        call.fail(new RpcException(GrpcStatus.PERMISSION_DENIED, "Token lacks scope " + scope));
      } else {
        proceed.run();
      }
    });
  }

  private static boolean hasScope(User user, String scope) {
    String scopes = user.principal().getString("scope", "");
    return Arrays.asList(scopes.split(" ")).contains(scope);
  }
}
