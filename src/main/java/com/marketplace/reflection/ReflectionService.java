package com.marketplace.reflection;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.marketplace.grpc.RpcService;
import com.marketplace.grpc.ServerCall;
import io.grpc.reflection.v1.ErrorResponse;
import io.grpc.reflection.v1.ExtensionRequest;
import io.grpc.reflection.v1.ExtensionNumberResponse;
import io.grpc.reflection.v1.FileDescriptorResponse;
import io.grpc.reflection.v1.ListServiceResponse;
import io.grpc.reflection.v1.ServerReflectionGrpcService;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.vertx.core.Future;
import io.vertx.core.streams.ReadStream;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.Service;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * gRPC server reflection, {@code grpc.reflection.v1} and {@code grpc.reflection.v1alpha}, answering
 * every request on a stream as the standard service does (vertx-grpc 5.0.7's serves only v1, and
 * ends the stream after one answer). It describes every service on the server, with the files they
 * need, so that grpcurl-style tools can list, describe and call every method.
 *
 * <p>The two versions are the same messages on the wire, so v1alpha is served with the v1 ones.
 */
public final class ReflectionService {

  private final GrpcServer server;

  /** @param server the server whose services are described; read at each request */
  public ReflectionService(GrpcServer server) {
    this.server = server;
  }

  public RpcService v1() {
    return RpcService.builder(ServerReflectionGrpcService.SERVICE_NAME, ServerReflectionGrpcService.SERVICE_DESCRIPTOR)
        .bidiStreaming(ServerReflectionGrpcService.ServerReflectionInfo, this::serverReflectionInfo)
        .build();
  }

  public RpcService v1alpha() {
    ServiceMethod<ServerReflectionRequest, ServerReflectionResponse> info = ServiceMethod.server(
        io.grpc.reflection.v1alpha.ServerReflectionGrpcService.SERVICE_NAME, "ServerReflectionInfo",
        GrpcMessageEncoder.encoder(), GrpcMessageDecoder.decoder(ServerReflectionRequest.newBuilder()));
    return RpcService.builder(io.grpc.reflection.v1alpha.ServerReflectionGrpcService.SERVICE_NAME,
            io.grpc.reflection.v1alpha.ServerReflectionGrpcService.SERVICE_DESCRIPTOR)
        .bidiStreaming(info, this::serverReflectionInfo)
        .build();
  }

  /** Bidirectional: one answer per request, in order, until the client ends the stream. */
  Future<Void> serverReflectionInfo(ReadStream<ServerReflectionRequest> requests,
                                    ServerCall<ServerReflectionRequest, ServerReflectionResponse> call) {
    return call.answerEach(requests, this::answer);
  }

  ServerReflectionResponse answer(ServerReflectionRequest request) {
    ServerReflectionResponse.Builder response = ServerReflectionResponse.newBuilder()
        .setValidHost(request.getHost()).setOriginalRequest(request);
    return switch (request.getMessageRequestCase()) {
      case LIST_SERVICES -> response.setListServicesResponse(listServices()).build();
      case FILE_BY_FILENAME -> withFile(response, files().get(request.getFileByFilename()), request.getFileByFilename());
      case FILE_CONTAINING_SYMBOL -> withFile(response, fileContaining(request.getFileContainingSymbol()).orElse(null),
          request.getFileContainingSymbol());
      case FILE_CONTAINING_EXTENSION -> withFile(response, fileContaining(request.getFileContainingExtension()).orElse(null),
          "extension " + request.getFileContainingExtension().getExtensionNumber() + " of "
              + request.getFileContainingExtension().getContainingType());
      case ALL_EXTENSION_NUMBERS_OF_TYPE -> messageType(request.getAllExtensionNumbersOfType())
          .map(type -> response.setAllExtensionNumbersResponse(ExtensionNumberResponse.newBuilder()
              .setBaseTypeName(type.getFullName()).addAllExtensionNumber(extensionsOf(type.getFullName())
                  .map(FieldDescriptor::getNumber).sorted().toList())).build())
          .orElseGet(() -> notFound(response, "unknown type " + request.getAllExtensionNumbersOfType()));
      default -> response.setErrorResponse(ErrorResponse.newBuilder()
          .setErrorCode(GrpcStatus.INVALID_ARGUMENT.code).setErrorMessage("empty request")).build();
    };
  }

  private ListServiceResponse listServices() {
    ListServiceResponse.Builder list = ListServiceResponse.newBuilder();
    server.services().forEach(service -> list.addService(ServiceResponse.newBuilder().setName(service.name().fullyQualifiedName())));
    return list.build();
  }

  /** The file and everything it imports, the file first, as tools expect. */
  private static ServerReflectionResponse withFile(ServerReflectionResponse.Builder response, FileDescriptor file, String asked) {
    if (file == null) {
      return notFound(response, "not found: " + asked);
    }
    FileDescriptorResponse.Builder files = FileDescriptorResponse.newBuilder();
    Map<String, FileDescriptor> closure = new LinkedHashMap<>();
    Deque<FileDescriptor> pending = new ArrayDeque<>();
    pending.add(file);
    while (!pending.isEmpty()) {
      FileDescriptor next = pending.poll();
      if (closure.putIfAbsent(next.getName(), next) == null) {
        pending.addAll(next.getDependencies());
      }
    }
    closure.values().forEach(descriptor -> files.addFileDescriptorProto(descriptor.toProto().toByteString()));
    return response.setFileDescriptorResponse(files).build();
  }

  private static ServerReflectionResponse notFound(ServerReflectionResponse.Builder response, String message) {
    return response.setErrorResponse(ErrorResponse.newBuilder().setErrorCode(GrpcStatus.NOT_FOUND.code).setErrorMessage(message)).build();
  }

  /** Every file the served services are declared in, and every file those import, by name. */
  private Map<String, FileDescriptor> files() {
    Map<String, FileDescriptor> files = new LinkedHashMap<>();
    Deque<FileDescriptor> pending = new ArrayDeque<>();
    for (Service service : server.services()) {
      pending.add(service.descriptor().getFile());
    }
    while (!pending.isEmpty()) {
      FileDescriptor file = pending.poll();
      if (files.putIfAbsent(file.getName(), file) == null) {
        pending.addAll(file.getDependencies());
      }
    }
    return files;
  }

  /** The file declaring a service, method, message, enum or extension of that fully qualified name. */
  private Optional<FileDescriptor> fileContaining(String symbol) {
    for (FileDescriptor file : files().values()) {
      if (declares(file, symbol)) {
        return Optional.of(file);
      }
    }
    return Optional.empty();
  }

  /** The file declaring the extension asked for: its number, of its message type. */
  private Optional<FileDescriptor> fileContaining(ExtensionRequest extension) {
    return extensionsOf(extension.getContainingType())
        .filter(declared -> declared.getNumber() == extension.getExtensionNumber())
        .map(FieldDescriptor::getFile)
        .findFirst();
  }

  /** The extensions of a message type (by full name) that the served files and their imports declare, nested ones too. */
  private Stream<FieldDescriptor> extensionsOf(String messageType) {
    return files().values().stream()
        .flatMap(file -> Stream.concat(file.getExtensions().stream(), file.getMessageTypes().stream().flatMap(ReflectionService::extensions)))
        .filter(extension -> extension.getContainingType().getFullName().equals(messageType));
  }

  private static Stream<FieldDescriptor> extensions(Descriptor message) {
    return Stream.concat(message.getExtensions().stream(), message.getNestedTypes().stream().flatMap(ReflectionService::extensions));
  }

  private static boolean declares(FileDescriptor file, String symbol) {
    String local = file.getPackage().isEmpty() ? symbol
        : symbol.startsWith(file.getPackage() + ".") ? symbol.substring(file.getPackage().length() + 1) : null;
    if (local == null) {
      return false;
    }
    int dot = local.lastIndexOf('.');
    if (dot > 0 && file.findServiceByName(local.substring(0, dot)) != null) {
      return file.findServiceByName(local.substring(0, dot)).findMethodByName(local.substring(dot + 1)) != null;
    }
    if (file.findServiceByName(local) != null || file.findEnumTypeByName(local) != null
        || file.findExtensionByName(local) != null || findMessage(file, local) != null) {
      return true;
    }
    Descriptor parent = dot > 0 ? findMessage(file, local.substring(0, dot)) : null;
    return parent != null && parent.findEnumTypeByName(local.substring(dot + 1)) != null;
  }

  /** A message, nested or not, by its name relative to the file's package. */
  private static Descriptor findMessage(FileDescriptor file, String local) {
    String[] parts = local.split("\\.");
    Descriptor message = file.findMessageTypeByName(parts[0]);
    for (int i = 1; message != null && i < parts.length; i++) {
      message = message.findNestedTypeByName(parts[i]);
    }
    return message;
  }

  private Optional<Descriptor> messageType(String fullName) {
    return files().values().stream()
        .map(file -> file.getPackage().isEmpty() ? findMessage(file, fullName)
            : fullName.startsWith(file.getPackage() + ".") ? findMessage(file, fullName.substring(file.getPackage().length() + 1)) : null)
        .filter(type -> type != null)
        .findFirst();
  }
}
