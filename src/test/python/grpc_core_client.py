"""gRPC's C core (Debian's python3-grpcio) as a client of `serve --conformance`, learning every
contract from the server's reflection, as grpcurl and other reflection-driven tools do: no .proto
file is read here. Prints one line per check and "N passed, M failed"; exits 1 if any failed.
Run by GrpcCoreClientTest: python3 grpc_core_client.py HOST:PORT [CA_PEM], over TLS trusting CA_PEM if given.
"""
import sys
import time
import traceback

import grpc
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

TARGET = sys.argv[1]
CA_PEM = sys.argv[2] if len(sys.argv) > 2 else None
DEADLINE_S = 5
EXPECTED_SERVICES = {"product.ProductService", "grpc.testing.TestService", "grpc.health.v1.Health",
                     "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection"}
results = []


def check(name, run):
    try:
        failure = run()
    except Exception:  # a check that throws has failed; the trace says where
        failure = traceback.format_exc()
    results.append(not failure)
    print(f"FAIL {name}: {failure}" if failure else f"PASS {name}", flush=True)


# The reflection messages and google.rpc.Status are read off the wire: they are what this client learns from.
def varint(data, at):
    value, shift = 0, 0
    while True:
        byte = data[at]
        value |= (byte & 0x7F) << shift
        at += 1
        if not byte & 0x80:
            return value, at
        shift += 7


def fields(data):
    """(field number, value) of a protobuf message's varint and length-delimited fields."""
    at = 0
    while at < len(data):
        key, at = varint(data, at)
        if key & 7 == 0:
            value, at = varint(data, at)
        elif key & 7 == 2:
            length, at = varint(data, at)
            value, at = data[at:at + length], at + length
        else:
            raise ValueError(f"wire type {key & 7}")
        yield key >> 3, value


def length_delimited(number, payload):
    out, length = bytearray([number << 3 | 2]), len(payload)
    while length >= 0x80:
        out.append(length & 0x7F | 0x80)
        length >>= 7
    return bytes(out + bytes([length]) + payload)


identity = lambda message: message
if CA_PEM:
    with open(CA_PEM, "rb") as ca:
        channel = grpc.secure_channel(TARGET, grpc.ssl_channel_credentials(root_certificates=ca.read()))
else:
    channel = grpc.insecure_channel(TARGET)


class Reflection:
    """One ServerReflectionInfo stream of a version ("v1" or "v1alpha"), a request answered at a time."""

    def __init__(self, version):
        self.method = channel.stream_stream(f"/grpc.reflection.{version}.ServerReflection/ServerReflectionInfo",
                                            request_serializer=identity, response_deserializer=identity)

    def ask(self, field, value):
        answer = dict(fields(next(self.method(iter([length_delimited(field, value.encode())]), timeout=DEADLINE_S))))
        if 7 in answer:
            raise AssertionError(f"reflection error {dict(fields(answer[7]))}")
        return answer

    def services(self):
        return {dict(fields(service))[1].decode() for number, service in fields(self.ask(7, "")[6]) if number == 1}

    def files_for(self, field, value):
        return [descriptor_pb2.FileDescriptorProto.FromString(file)
                for number, file in fields(self.ask(field, value)[4]) if number == 1]


def pool_for(reflection, *symbols):
    """A descriptor pool with the files that define `symbols` and every file they import, all by reflection."""
    pool, known, pending = descriptor_pool.DescriptorPool(), {}, []
    for symbol in symbols:
        pending += reflection.files_for(4, symbol)  # file_containing_symbol
    while pending:
        file = pending.pop()
        if file.name not in known:
            known[file.name] = file
            pending += [f for dependency in file.dependency if dependency not in known
                        for f in reflection.files_for(3, dependency)]  # file_by_filename
    added = set()
    while len(added) < len(known):  # each file after the files it imports
        ready = [f for name, f in known.items() if name not in added and set(f.dependency) <= added]
        if not ready:
            raise AssertionError(f"imports that reflection cannot give: {set(known) - added}")
        for file in ready:
            pool.Add(file)
            added.add(file.name)
    return pool


def message_class(pool, name):
    descriptor = pool.FindMessageTypeByName(name)
    get = getattr(message_factory, "GetMessageClass", None)  # protobuf 4.22+
    return get(descriptor) if get else message_factory.MessageFactory(pool).GetPrototype(descriptor)


class Stubs:
    """Callables for a service's methods, typed by the message classes of the pool."""

    def __init__(self, pool, service):
        self.methods = {}
        for method in pool.FindServiceByName(service).methods:
            kind = {(False, False): channel.unary_unary, (False, True): channel.unary_stream,
                    (True, False): channel.stream_unary, (True, True): channel.stream_stream}[
                (method.client_streaming, method.server_streaming)]
            request, response = message_class(pool, method.input_type.full_name), message_class(pool, method.output_type.full_name)
            self.methods[method.name] = (kind(f"/{service}/{method.name}", request_serializer=request.SerializeToString,
                                              response_deserializer=response.FromString), request)

    def __getattr__(self, name):
        return self.methods[name][0]

    def request(self, method, **fields_set):
        return self.methods[method][1](**fields_set)


def failed(call):
    """The RpcError a call raises; None if it succeeded."""
    try:
        result = call()
        if hasattr(result, "__iter__") and not isinstance(result, (bytes, str)):
            list(result)
        return None
    except grpc.RpcError as error:
        return error


for version in ("v1", "v1alpha"):
    check(f"reflection {version} lists the services",
          lambda: None if EXPECTED_SERVICES <= Reflection(version).services() else f"got {Reflection(version).services()}")

pool = pool_for(Reflection("v1"), "product.ProductService", "grpc.testing.TestService", "grpc.health.v1.Health")
products = Stubs(pool, "product.ProductService")
testing = Stubs(pool, "grpc.testing.TestService")
health = Stubs(pool, "grpc.health.v1.Health")


def get_product():
    product = products.GetProduct(products.request("GetProduct", product_id="p001"), timeout=DEADLINE_S)
    return None if product.id == "p001" and product.name else f"got {product}"


def unknown_product():
    error = failed(lambda: products.GetProduct(products.request("GetProduct", product_id="nope"), timeout=DEADLINE_S))
    trailers = dict(error.trailing_metadata() or ()) if error else {}
    if not error or error.code() != grpc.StatusCode.NOT_FOUND or error.details() != "Product with ID 'nope' not found.":
        return f"got {error}"
    # A Trailers-Only answer: nothing but the status (Vert.x would add content-length: 0).
    return f"trailing metadata {trailers}" if "content-length" in trailers else None


def invalid_argument_with_details():
    error = failed(lambda: products.GetProduct(products.request("GetProduct", product_id=""), timeout=DEADLINE_S))
    if not error or error.code() != grpc.StatusCode.INVALID_ARGUMENT:
        return f"got {error}"
    status = dict(error.trailing_metadata())["grpc-status-details-bin"]
    code_and_details = list(fields(status))
    any_detail = dict(fields(next(value for number, value in code_and_details if number == 3)))
    if code_and_details[0] != (1, 3) or any_detail[1] != b"type.googleapis.com/google.rpc.BadRequest":
        return f"details {code_and_details}"
    return None if b"product_id" in any_detail[2] else f"violation {any_detail[2]}"


def server_streaming():
    listed = list(products.ListProductsByCategory(products.request("ListProductsByCategory", category="Electronics"),
                                                  timeout=DEADLINE_S))
    return None if listed and all(p.category == "Electronics" for p in listed) else f"got {listed}"


def client_streaming():
    uploads = iter([products.request("UploadProducts", id="core-1", name="From C core", price=1.5, category="Tools"),
                    products.request("UploadProducts", id="core-bad", name="Negative", price=-1)])
    summary = products.UploadProducts(uploads, timeout=DEADLINE_S)
    ok = summary.received == 2 and summary.stored == 1 and list(summary.rejected_ids) == ["core-bad"]
    return None if ok else f"got {summary}"


def bidirectional():
    lookups = products.LookupProducts(iter([products.request("LookupProducts", product_id=i) for i in ("core-1", "nope")]),
                                      timeout=DEADLINE_S)
    found = [(lookup.product_id, lookup.found) for lookup in lookups]
    return None if found == [("core-1", True), ("nope", False)] else f"got {found}"


def gzip_both_ways():
    # The server refuses a request that is not compressed (expect_compressed) and compresses its answer.
    request = testing.request("UnaryCall", response_size=314159, payload={"body": bytes(271828)},
                              response_compressed={"value": True}, expect_compressed={"value": True})
    response = testing.UnaryCall(request, timeout=DEADLINE_S, compression=grpc.Compression.Gzip)
    return None if len(response.payload.body) == 314159 else f"got {len(response.payload.body)} bytes"


def deadline_enforced():
    paced = testing.request("StreamingOutputCall", response_parameters=[{"size": 1, "interval_us": 200_000}] * 10)
    started = time.monotonic()
    error = failed(lambda: testing.StreamingOutputCall(paced, timeout=0.5))
    took = time.monotonic() - started
    if not error or error.code() != grpc.StatusCode.DEADLINE_EXCEEDED:
        return f"got {error}"
    return None if took < 2 else f"took {took:.2f} s"


def cancelled_stream_leaves_the_channel_working():
    paced = testing.request("StreamingOutputCall", response_parameters=[{"size": 1, "interval_us": 50_000}] * 40)
    stream = testing.StreamingOutputCall(paced, timeout=DEADLINE_S)
    next(stream)
    stream.cancel()
    if stream.code() != grpc.StatusCode.CANCELLED:
        return f"ended {stream.code()}"
    return get_product()


def health_check():
    serving = [health.Check(health.request("Check", service=name), timeout=DEADLINE_S).status
               for name in ("", "product.ProductService")]
    unknown = failed(lambda: health.Check(health.request("Check", service="nope"), timeout=DEADLINE_S))
    if unknown is None or unknown.code() != grpc.StatusCode.NOT_FOUND:
        return f"unknown service: {unknown}"
    return None if serving == [1, 1] else f"got {serving}"


def unknown_method():
    call = channel.unary_unary("/product.ProductService/NoSuchMethod", request_serializer=identity,
                               response_deserializer=identity)
    error = failed(lambda: call(b"", timeout=DEADLINE_S))
    return None if error and error.code() == grpc.StatusCode.UNIMPLEMENTED else f"got {error}"


check("unary GetProduct", get_product)
check("NOT_FOUND with its message, Trailers-Only", unknown_product)
check("INVALID_ARGUMENT with BadRequest details", invalid_argument_with_details)
check("server streaming ListProductsByCategory", server_streaming)
check("client streaming UploadProducts", client_streaming)
check("bidirectional LookupProducts", bidirectional)
check("gzip both ways, UnaryCall", gzip_both_ways)
check("deadline enforced on a paced stream", deadline_enforced)
check("a cancelled stream leaves the channel working", cancelled_stream_leaves_the_channel_working)
check("health Check", health_check)
check("unknown method is UNIMPLEMENTED", unknown_method)

passed = sum(results)
print(f"{passed} passed, {len(results) - passed} failed")
sys.exit(0 if passed == len(results) else 1)
