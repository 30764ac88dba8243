// Node's gRPC implementation (@grpc/grpc-js) as a client of `serve --conformance`, learning every
// contract from the server's reflection, as reflection-driven tools do: no .proto file is read here.
// Prints one line per check and "N passed, M failed"; exits 1 if any failed. Run by GrpcJsClientTest.
import * as grpc from '@grpc/grpc-js';
import reflectionClient from 'grpc-js-reflection-client';

const target = process.argv[2];
const DEADLINE_MS = 5000;
const insecure = grpc.credentials.createInsecure();
const results = [];

async function check(name, run) {
  try {
    const failure = await run();
    results.push(!failure);
    console.log(failure ? `FAIL ${name}: ${failure}` : `PASS ${name}`);
  } catch (error) {
    results.push(false);
    console.log(`FAIL ${name}: ${error && error.stack ? error.stack : error}`);
  }
}

const deadline = (millis = DEADLINE_MS) => ({ deadline: Date.now() + millis });

/** Completes with the call's error, or null when it ended OK. */
function unary(client, method, request, options = {}, metadata = new grpc.Metadata()) {
  return new Promise(resolve => client[method](request, metadata, { ...deadline(), ...options },
    (error, response) => resolve({ error, response })));
}

/** The messages a call's stream gave and the status it ended with. */
function collect(call) {
  return new Promise(resolve => {
    const messages = [];
    call.on('data', message => messages.push(message));
    call.on('error', () => {});
    call.on('status', status => resolve({ messages, status }));
  });
}

/** A service's client class, from the file the server's reflection gives for its name. */
async function serviceClient(reflection, service, channelOptions = {}) {
  const descriptor = await reflection.getDescriptorBySymbol(service);
  const root = descriptor.getPackageObject({ keepCase: true, longs: String, enums: String, defaults: true });
  const Client = service.split('.').reduce((object, part) => object[part], root);
  return new Client(target, insecure, channelOptions);
}

const expectedServices = ['product.ProductService', 'grpc.testing.TestService', 'grpc.health.v1.Health',
  'grpc.reflection.v1.ServerReflection', 'grpc.reflection.v1alpha.ServerReflection'];
for (const version of ['v1', 'v1alpha']) {
  await check(`reflection ${version} lists services and methods`, async () => {
    const reflection = new reflectionClient.GrpcReflection(target, insecure, {}, version);
    const services = await reflection.listServices();
    const missing = expectedServices.filter(service => !services.includes(service));
    if (missing.length) return `missing ${missing}`;
    const methods = (await reflection.listMethods('product.ProductService')).map(method => method.name).sort().join(',');
    return methods === 'GetProduct,ListProductsByCategory,LookupProducts,UploadProducts' ? null : `methods ${methods}`;
  });
}

const reflection = new reflectionClient.GrpcReflection(target, insecure);
const products = await serviceClient(reflection, 'product.ProductService');
const testService = await serviceClient(reflection, 'grpc.testing.TestService',
  { 'grpc.default_compression_algorithm': 2 }); // gzip: every request message compressed
const health = await serviceClient(reflection, 'grpc.health.v1.Health');

await check('unary GetProduct', async () => {
  const { error, response } = await unary(products, 'GetProduct', { product_id: 'p001' });
  return error ? `${error.code} ${error.details}` : response.id === 'p001' ? null : `answered ${JSON.stringify(response)}`;
});

await check('unary GetProduct of no product is NOT_FOUND', async () => {
  const { error } = await unary(products, 'GetProduct', { product_id: 'no-such-product' });
  return error && error.code === grpc.status.NOT_FOUND ? null : `ended ${error ? error.code + ' ' + error.details : 'OK'}`;
});

await check('INVALID_ARGUMENT carries its details in grpc-status-details-bin', async () => {
  const { error } = await unary(products, 'GetProduct', { product_id: '' });
  if (!error || error.code !== grpc.status.INVALID_ARGUMENT) return `ended ${error ? error.code : 'OK'}`;
  if (error.details !== 'product_id: must not be empty') return `message ${JSON.stringify(error.details)}`;
  const [details] = error.metadata.get('grpc-status-details-bin');
  return details && Buffer.from(details).includes('product_id') ? null : 'no details naming product_id';
});

await check('server streaming ListProductsByCategory', async () => {
  const { messages, status } = await collect(products.ListProductsByCategory({ category: 'Electronics' }, deadline()));
  if (status.code !== grpc.status.OK) return `ended ${status.code} ${status.details}`;
  return messages.length > 0 && messages.every(product => product.category === 'Electronics')
    ? null : `got ${JSON.stringify(messages)}`;
});

await check('client streaming UploadProducts', async () => {
  const { error, response } = await new Promise(resolve => {
    const call = products.UploadProducts(deadline(), (error, response) => resolve({ error, response }));
    call.write({ id: 'js-1', name: 'Node lamp', description: 'Lit over HTTP/2', price: 10, category: 'Home' });
    call.write({ id: '', name: 'nameless' });
    call.end();
  });
  return error ? `${error.code} ${error.details}` : response.received === 2 ? null : `answered ${JSON.stringify(response)}`;
});

await check('bidirectional LookupProducts, one answer per request in order', async () => {
  const call = products.LookupProducts(deadline());
  const ended = collect(call);
  call.write({ product_id: 'p001' });
  call.write({ product_id: 'no-such-product' });
  call.end();
  const { messages, status } = await ended;
  if (status.code !== grpc.status.OK) return `ended ${status.code} ${status.details}`;
  const found = messages.map(lookup => `${lookup.product_id}:${lookup.found}`).join(',');
  return found === 'p001:true,no-such-product:false' ? null : `answered ${found}`;
});

await check('gzip-compressed request and response', async () => {
  const { error, response } = await unary(testService, 'UnaryCall',
    { response_size: 314159, payload: { body: Buffer.alloc(271828) }, response_compressed: { value: true }, expect_compressed: { value: true } });
  return error ? `${error.code} ${error.details}` : response.payload.body.length === 314159 ? null : 'wrong payload size';
});

await check('status code and Unicode message sent by the server', async () => {
  const message = '\t\ntest with whitespace\r\nand Unicode BMP ☺ and non-BMP 😈\t\n';
  const { error } = await unary(testService, 'UnaryCall', { response_status: { code: 2, message } });
  return error && error.code === 2 && error.details === message ? null : `ended ${error ? error.code + ' ' + JSON.stringify(error.details) : 'OK'}`;
});

await check('status message with URL delimiters read as sent', async () => {
  const message = 'a, b: c/d?e=f&g;h@i#j$k+l 100%';
  const { error } = await unary(testService, 'UnaryCall', { response_status: { code: 10, message } });
  return error && error.code === 10 && error.details === message ? null : `ended ${error ? error.code + ' ' + JSON.stringify(error.details) : 'OK'}`;
});

await check('deadline exceeded while the server sleeps', async () => {
  const call = testService.FullDuplexCall(deadline(200));
  const ended = collect(call);
  call.write({ response_parameters: [{ size: 1, interval_us: 2000000 }] });
  const { status } = await ended;
  return status.code === grpc.status.DEADLINE_EXCEEDED ? null : `ended ${status.code} ${status.details}`;
});

await check('a method the server lacks is UNIMPLEMENTED', async () => {
  const { error } = await unary(testService, 'UnimplementedCall', {});
  return error && error.code === grpc.status.UNIMPLEMENTED ? null : `ended ${error ? error.code : 'OK'}`;
});

await check('health Check is SERVING', async () => {
  const { error, response } = await unary(health, 'Check', { service: '' });
  return error ? `${error.code} ${error.details}` : response.status === 'SERVING' ? null : `answered ${response.status}`;
});

const passed = results.filter(Boolean).length;
console.log(`${passed} passed, ${results.length - passed} failed`);
process.exit(passed === results.length ? 0 : 1);
