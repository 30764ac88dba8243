package com.marketplace.reflection;

import com.marketplace.testing.TestClients;
import static com.marketplace.testing.TestServers.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.InvalidProtocolBufferException;
import com.marketplace.client.CallOptions;
import com.marketplace.client.ClientCall;
import com.marketplace.server.MarketplaceServer;
import com.marketplace.testing.TestServers;
import io.grpc.reflection.v1.ExtensionRequest;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@ExtendWith(VertxExtension.class)
class ReflectionServiceTest {

  /** The field number of google.api.http, google/api/annotations.proto's extension of MethodOptions. */
  private static final int HTTP_RULE = 72295728;

  private static ServiceMethod<ServerReflectionResponse, ServerReflectionRequest> info(String version) {
    return ServiceMethod.client(ServiceName.create("grpc.reflection." + version + ".ServerReflection"),
        "ServerReflectionInfo", GrpcMessageEncoder.encoder(), GrpcMessageDecoder.decoder(ServerReflectionResponse.newBuilder()));
  }

  private static List<ServerReflectionResponse> ask(Vertx vertx, MarketplaceServer server, String version,
                                                    List<ServerReflectionRequest> requests) {
    return await(ClientCall.call(TestClients.http2(vertx), TestServers.address(server), info(version), CallOptions.defaults(),
        1 << 24, requests)).messages();
  }

  @ParameterizedTest
  @ValueSource(strings = {"v1", "v1alpha"})
  void answersEveryRequestOnOneStream(String version, Vertx vertx) {
    MarketplaceServer server = TestServers.start(vertx, TestServers.config(new JsonObject().put("conformance", true)));
    List<ServerReflectionResponse> answers = ask(vertx, server, version, List.of(
        ServerReflectionRequest.newBuilder().setListServices("*").build(),
        ServerReflectionRequest.newBuilder().setFileContainingSymbol("product.ProductService").build(),
        ServerReflectionRequest.newBuilder().setFileContainingSymbol("grpc.testing.BenchmarkService.UnaryCall").build(),
        ServerReflectionRequest.newBuilder().setFileByFilename("recommendations.proto").build(),
        ServerReflectionRequest.newBuilder().setFileContainingSymbol("no.Such").build(),
        ServerReflectionRequest.newBuilder().setFileContainingSymbol("grpc.health.v1.HealthCheckResponse.ServingStatus").build()));
    assertEquals(6, answers.size());

    List<String> services = answers.get(0).getListServicesResponse().getServiceList().stream().map(ServiceResponse::getName).toList();
    assertTrue(services.containsAll(List.of("product.ProductService", "Recommendations", "api.Api", "unary.Unary",
        "bidirectional.Bidirectional", "grpc.health.v1.Health", "grpc.testing.TestService", "grpc.testing.BenchmarkService",
        "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection")), services.toString());

    FileDescriptorProto product = file(answers.get(1).getFileDescriptorResponse().getFileDescriptorProto(0));
    assertEquals("product.proto", product.getName());
    assertEquals(List.of("GetProduct", "ListProductsByCategory", "UploadProducts", "LookupProducts"),
        product.getService(0).getMethodList().stream().map(method -> method.getName()).toList());

    List<ByteString> benchmark = answers.get(2).getFileDescriptorResponse().getFileDescriptorProtoList();
    assertEquals("conformance/benchmark_service.proto", file(benchmark.get(0)).getName());
    assertTrue(benchmark.stream().anyMatch(bytes -> file(bytes).getName().equals("grpc/testing/messages.proto")),
        "a file comes with the files it imports");

    assertEquals("Recommendations", file(answers.get(3).getFileDescriptorResponse().getFileDescriptorProto(0)).getService(0).getName());
    assertEquals(GrpcStatus.NOT_FOUND.code, answers.get(4).getErrorResponse().getErrorCode());
    assertEquals("grpc/health/v1/health.proto", file(answers.get(5).getFileDescriptorResponse().getFileDescriptorProto(0)).getName());
  }

  /**
   * Regression: the extension queries answered as if no file declared an extension, but product.proto
   * imports google/api/annotations.proto, which declares google.api.http on MethodOptions. Tools that
   * resolve a method's options ask for it.
   */
  @ParameterizedTest
  @ValueSource(strings = {"v1", "v1alpha"})
  void answersTheExtensionsTheServedFilesDeclare(String version, Vertx vertx) {
    MarketplaceServer server = TestServers.start(vertx);
    List<ServerReflectionResponse> answers = ask(vertx, server, version, List.of(
        ServerReflectionRequest.newBuilder().setAllExtensionNumbersOfType("google.protobuf.MethodOptions").build(),
        ServerReflectionRequest.newBuilder().setFileContainingExtension(ExtensionRequest.newBuilder()
            .setContainingType("google.protobuf.MethodOptions").setExtensionNumber(HTTP_RULE)).build(),
        ServerReflectionRequest.newBuilder().setFileContainingExtension(ExtensionRequest.newBuilder()
            .setContainingType("google.protobuf.MethodOptions").setExtensionNumber(HTTP_RULE + 1)).build(),
        ServerReflectionRequest.newBuilder().setAllExtensionNumbersOfType("product.Product").build(),
        ServerReflectionRequest.newBuilder().setAllExtensionNumbersOfType("no.Such").build()));

    assertEquals("google.protobuf.MethodOptions", answers.get(0).getAllExtensionNumbersResponse().getBaseTypeName());
    assertEquals(List.of(HTTP_RULE), answers.get(0).getAllExtensionNumbersResponse().getExtensionNumberList());
    List<ByteString> annotations = answers.get(1).getFileDescriptorResponse().getFileDescriptorProtoList();
    assertEquals("google/api/annotations.proto", file(annotations.get(0)).getName());
    assertEquals("http", file(annotations.get(0)).getExtension(0).getName());
    assertTrue(annotations.stream().anyMatch(bytes -> file(bytes).getName().equals("google/protobuf/descriptor.proto")),
        "the file comes with the files it imports");
    assertEquals(GrpcStatus.NOT_FOUND.code, answers.get(2).getErrorResponse().getErrorCode());
    assertEquals(List.of(), answers.get(3).getAllExtensionNumbersResponse().getExtensionNumberList());
    assertEquals("product.Product", answers.get(3).getAllExtensionNumbersResponse().getBaseTypeName());
    assertEquals(GrpcStatus.NOT_FOUND.code, answers.get(4).getErrorResponse().getErrorCode());
  }

  @Test
  void reflectionStaysOpenWhenAuthenticationIsOn(Vertx vertx, @TempDir Path dir) throws IOException {
    Path secret = Files.writeString(dir.resolve("secret"), "a-long-enough-test-secret-of-32-bytes!");
    MarketplaceServer server = TestServers.start(vertx, TestServers.config(new JsonObject()
        .put("jwtSecretFile", secret.toString()).put("jwtIssuer", "i").put("jwtAudience", "a")));
    assertEquals(1, ask(vertx, server, "v1", List.of(ServerReflectionRequest.newBuilder().setListServices("").build())).size());
  }

  private static FileDescriptorProto file(ByteString bytes) {
    try {
      return FileDescriptorProto.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }
}
