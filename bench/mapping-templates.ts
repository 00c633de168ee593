// What a non-proxy integration's request mapping costs per request, as a ratio to building the
// Lambda proxy event for the same request, measured in the same run: no HTTP, no function, just
// the data plane's work between "routed and authorized" and "event handed to the invoker".
// Also request validation (validate-*) and the response side (response-*, next to AWS_PROXY's
// own answer reading, proxy-answer): the work after the function answered.
// Interleaved rounds, medians. Run: node --import tsx bench/mapping-templates.ts [--quick]
// [--only typical,console] [--calls N]
// Profile one case: node --cpu-prof --import tsx bench/mapping-templates.ts --only console
// Times are CPU time (process.cpuUsage), so a busy machine slows the run, not the numbers much.
// Before/after: bundle each version with esbuild and run both; compare the ratios.
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import type { EventPayload } from '../src/functions/invoker.js';
import { proxyEventOf } from '../src/functions/lambda-proxy-event.js';
import { flattenProxyEventMaps } from '../src/functions/node/flat-maps.js';
import { handlerEvent } from '../src/functions/node/handler-event.js';
import type { InvokeMessage } from '../src/functions/node/worker-protocol.js';
import { proxyEventValues } from '../src/gateway/events/proxy-event.js';
import { lambdaPayload } from '../src/gateway/integrations/aws-lambda.js';
import { toHttpAnswer } from '../src/gateway/integrations/aws-proxy.js';
import type { Exchange } from '../src/gateway/compiled-api.js';
import { compileRequestBody } from '../src/gateway/mapping/request-body.js';
import { compileIntegrationResponses } from '../src/gateway/mapping/integration-responses.js';
import { CompiledModels } from '../src/gateway/validation/models.js';
import { compileRequestValidation } from '../src/gateway/validation/request-validation.js';
import { GatewayResponseError } from '../src/gateway/errors.js';
import type { Integration, Method, Model } from '../src/model/types.js';
import { exchangeFor, method, snapshot, stageOf } from '../test/gateway/fixtures.js';
import { CONSOLE_PASSTHROUGH, TYPICAL } from '../test/gateway/mapping/templates.js';

const quick = process.argv.includes('--quick');
const option = (name: string) => {
  const at = process.argv.indexOf(name);
  return at === -1 ? undefined : process.argv[at + 1];
};
const only = option('--only');
const calls = option('--calls');
const ROUNDS = calls !== undefined ? 1 : quick ? 5 : 15;
const CALLS_PER_ROUND = calls !== undefined ? Number(calls) : quick ? 2_000 : 10_000;

const integration = (templates?: Record<string, string>): Integration => ({
  type: 'MOCK',
  timeoutInMillis: 29_000,
  ...(templates ? { requestTemplates: templates } : {}),
});

const stage = stageOf(snapshot({ '/pets/{id}': [method({ httpMethod: 'POST' })] }));
const exchange: Exchange = {
  ...exchangeFor(stage, {
    method: 'POST',
    url: '/pets/7?name=bench&sort=asc',
    headers: [
      ['Content-Type', 'application/json'],
      ['User-Agent', 'bench/1.0'],
      ['Accept', '*/*'],
      ['Host', 'localhost'],
      ['X-Forwarded-For', '127.0.0.1'],
    ],
    body: JSON.stringify({ pet: { name: 'Rex', type: 'dog', tags: ['a', 'b'] }, age: 3 }),
  }),
  authorizer: {
    principalId: 'user-1',
    context: { tenant: 'acme', admin: false },
    integrationLatency: 3,
  },
};

/** The event a non-proxy integration sends Lambda: the mapped body as JSON text (aws-lambda.ts). */
const mapped = (templates?: Record<string, string>) => {
  const map = compileRequestBody(integration(templates));
  return () => lambdaPayload(map(exchange));
};

/** The message function-pool.ts posts to a worker for one invocation. */
const invokeMessage = (payload: EventPayload): InvokeMessage => {
  const message: InvokeMessage = {
    requestId: exchange.request.requestId,
    event: payload.event,
    proxyEvent: payload.proxyEvent,
    eventJson: payload.eventJson,
    traceId: undefined,
    timeoutMs: 3000,
  };
  if (payload.proxyEvent) flattenProxyEventMaps(message, payload.proxyEvent);
  return message;
};
/**
 * What the gateway thread pays to hand an invocation to a worker thread (function-pool.ts): the
 * message built and posted. postMessage serialises it on the spot; the copy is read on the
 * receiving side, here never (the channel is dropped and replaced every 2,000 messages).
 */
let channel = new MessageChannel();
let postedCount = 0;
const posted = (payload: EventPayload): number => {
  channel.port1.postMessage(invokeMessage(payload));
  if (++postedCount % 2000 === 0) {
    channel.port1.close();
    channel = new MessageChannel();
  }
  return postedCount;
};
const mappedAndPosted = (templates?: Record<string, string>) => {
  const event = mapped(templates);
  return () => posted(event());
};

/**
 * The whole journey to the handler's event: posted as above, then received and rebuilt as the
 * worker does it (worker-entry.ts), here on this thread: the CPU both threads spend on the event.
 */
const journey = new MessageChannel();
const delivered = (payload: () => EventPayload) => () => {
  journey.port1.postMessage(invokeMessage(payload()));
  return handlerEvent(receiveMessageOnPort(journey.port2)!.message as InvokeMessage);
};

/** What AWS_PROXY hands the invoker for this request. */
const proxyValues = () =>
  proxyEventValues(
    exchange.request,
    stage,
    exchange.method,
    exchange.pathParameters,
    exchange.authorizer,
    undefined,
    'event',
  );

/** The bench project's Pet model (bench/projects/openapi.yaml), under a request that has a pet. */
const MODELS: Model[] = [
  {
    id: 'pet001',
    name: 'Pet',
    contentType: 'application/json',
    schema: JSON.stringify({
      type: 'object',
      required: ['name', 'type'],
      properties: {
        name: { type: 'string', minLength: 1, maxLength: 64 },
        type: { type: 'string', enum: ['dog', 'cat', 'fish'] },
        tags: { type: 'array', items: { type: 'string' } },
        age: { type: 'integer', minimum: 0 },
      },
    }),
  },
  {
    id: 'req001',
    name: 'PetRequest',
    contentType: 'application/json',
    schema: JSON.stringify({
      type: 'object',
      required: ['pet'],
      properties: {
        pet: { $ref: `https://apigateway.amazonaws.com/restapis/any/models/Pet` },
        age: { type: 'integer', minimum: 0 },
      },
    }),
  },
];

/** A method's check as a deployment compiles it (compile.ts): validator `all` or one side. */
const validation = (validateRequestBody: boolean, validateRequestParameters: boolean) => {
  const validated: Method = {
    httpMethod: 'POST',
    authorizationType: 'NONE',
    apiKeyRequired: false,
    requestValidatorId: 'all',
    requestParameters: {
      'method.request.path.id': true,
      'method.request.querystring.name': true,
      'method.request.header.User-Agent': true,
      'method.request.querystring.sort': false,
    },
    requestModels: { 'application/json': 'PetRequest' },
    methodIntegration: integration(),
  };
  const validators = new Map([
    ['all', { id: 'all', validateRequestBody, validateRequestParameters }],
  ]);
  return compileRequestValidation(
    validated,
    validators,
    new CompiledModels('abc', MODELS),
    'POST /pets/{id}',
  )!;
};
const checkAll = validation(true, true);
const checkParameters = validation(false, true);
const checkBody = validation(true, false);
/**
 * A check returns nothing when the request passes: the case returns that it passed. It checks a
 * copy: a body check leaves its parse on the exchange (`requestJson`), which the template rows
 * would then read instead of parsing the body.
 */
const passes = (check: (x: Exchange) => void) => () => {
  check({ ...exchange });
  return true;
};

/** The console's default: the validated body passed through as the Lambda event (aws-lambda.ts). */
const passthroughBody = compileRequestBody(integration());
const validatedEvent = () => {
  const x: Exchange = { ...exchange }; // what validation learns about a request stays on it
  checkBody(x);
  return lambdaPayload(passthroughBody(x));
};

/** A validated body under the typical template: `$input` reads the value validation parsed. */
const typicalBody = compileRequestBody(integration({ 'application/json': TYPICAL }));
const validatedTypical = () => {
  const x: Exchange = { ...exchange };
  checkBody(x);
  return lambdaPayload(typicalBody(x));
};

/** The same request with a body the model refuses (three findings). */
const invalidExchange: Exchange = {
  ...exchange,
  request: {
    ...exchange.request,
    body: Buffer.from(JSON.stringify({ pet: { name: '', type: 'cow', tags: [1] }, age: 3 })),
  },
};
/** A refusal's cost: the check, and the validationErrorString AWS's 400 carries. */
const refused = () => {
  try {
    checkBody(invalidExchange);
  } catch (error) {
    if (error instanceof GatewayResponseError) return error.validationErrorString;
    throw error;
  }
  throw new Error('the invalid body passed');
};

/**
 * A non-proxy Lambda integration's response side: selection by selectionPattern on the
 * errorMessage (a success selects the default), responseParameters from the answer's body and
 * literals, and (one case) a small response template.
 */
const lambdaResponses = (template: boolean) =>
  compileIntegrationResponses(
    {
      type: 'AWS',
      timeoutInMillis: 29_000,
      integrationResponses: {
        '200': {
          statusCode: '200',
          responseParameters: {
            'method.response.header.X-Pet-Name': 'integration.response.body.pet.name',
            'method.response.header.X-Pet-Type': 'integration.response.body.pet.type',
            'method.response.header.X-Stage': 'context.stage',
            'method.response.header.Cache-Control': "'no-store'",
          },
          ...(template
            ? { responseTemplates: { 'application/json': '{"name": $input.json(\'$.pet.name\')}' } }
            : {}),
        },
        '400': { statusCode: '400', selectionPattern: '.*\\[BadRequest\\].*' },
        '404': { statusCode: '404', selectionPattern: '.*\\[NotFound\\].*' },
        '500': { statusCode: '500', selectionPattern: '(\\n|.)+' },
      },
    },
    'POST /pets/{id}',
  );
const LAMBDA_RESULT = {
  body: JSON.stringify({ pet: { name: 'Rex', type: 'dog', tags: ['a', 'b'] }, age: 3 }),
};
const LAMBDA_ERROR = {
  body: JSON.stringify({ errorMessage: '[NotFound] no pet 7', errorType: 'Error', stackTrace: [] }),
};
/** The same answer from an AWS_PROXY function: its document, read as toHttpAnswer reads it. */
const PROXY_RESULT = JSON.stringify({
  statusCode: 200,
  headers: {
    'X-Pet-Name': 'Rex',
    'X-Pet-Type': 'dog',
    'X-Stage': 'prod',
    'Cache-Control': 'no-store',
  },
  body: LAMBDA_RESULT.body,
});
const selected = lambdaResponses(false);
const templated = lambdaResponses(true);

/** [id for --only, label, one call]. */
const cases: [string, string, () => unknown][] = [
  ['proxy-values', 'proxy event (values only, as AWS_PROXY sends them)', proxyValues],
  ['proxy-event', 'proxy event (values → event object)', () => proxyEventOf(proxyValues())],
  ['passthrough', 'no template (passthrough)', mapped()],
  ['typical', 'typical template', mapped({ 'application/json': TYPICAL })],
  ['console', 'console passthrough template', mapped({ 'application/json': CONSOLE_PASSTHROUGH })],
  [
    'proxy-posted',
    'proxy event, posted to a worker thread',
    () => posted({ proxyEvent: proxyValues() }),
  ],
  [
    'typical-posted',
    'typical template, posted to a worker thread',
    mappedAndPosted({ 'application/json': TYPICAL }),
  ],
  [
    'console-posted',
    'console passthrough template, posted to a worker',
    mappedAndPosted({ 'application/json': CONSOLE_PASSTHROUGH }),
  ],
  [
    'proxy-delivered',
    "proxy event, posted and rebuilt as the worker's event",
    delivered(() => ({ proxyEvent: proxyValues() })),
  ],
  [
    'typical-delivered',
    "typical template, posted and parsed as the worker's event",
    delivered(mapped({ 'application/json': TYPICAL })),
  ],
  [
    'console-delivered',
    "console template, posted and parsed as the worker's event",
    delivered(mapped({ 'application/json': CONSOLE_PASSTHROUGH })),
  ],
  ['validate-all', 'validated parameters and body (valid)', passes(checkAll)],
  ['validate-params', 'validated parameters only (valid)', () => checkParameters(exchange)],
  ['validate-body', 'validated body only (valid)', passes(checkBody)],
  ['validate-event', 'validated body passed through as the Lambda event', validatedEvent],
  ['validate-typical', 'validated body, then the typical template', validatedTypical],
  ['validate-refused', 'invalid body → validationErrorString', refused],
  [
    'proxy-answer',
    'AWS_PROXY answer → HTTP answer (4 headers)',
    () => toHttpAnswer(PROXY_RESULT, exchange),
  ],
  [
    'response-selected',
    'Lambda success → default response + 4 headers',
    () => selected.answer(exchange, undefined, LAMBDA_RESULT),
  ],
  [
    'response-error',
    'Lambda error → selectionPattern match (2nd of 3)',
    () => selected.answer(exchange, '[NotFound] no pet 7', LAMBDA_ERROR),
  ],
  [
    'response-template',
    'Lambda success → default + headers + template',
    () => templated.answer(exchange, undefined, LAMBDA_RESULT),
  ],
];

const chosen = cases.filter(([id]) => !only || only.split(',').includes(id));
const samples = new Map<string, number[]>(chosen.map(([id]) => [id, []]));
let sink: unknown;
for (let round = 0; round < ROUNDS; round++) {
  for (const [id, , run] of chosen) {
    // CPU time of this process, not wall time: on a busy machine the wait for a core is left out.
    const start = process.cpuUsage();
    for (let i = 0; i < CALLS_PER_ROUND; i++) sink = run();
    const used = process.cpuUsage(start);
    samples.get(id)!.push((used.user + used.system) / CALLS_PER_ROUND);
  }
}
if (sink === undefined && CALLS_PER_ROUND > 0) throw new Error('nothing was built');
// Every case starts from the same request: none may leave a parsed body on the shared exchange.
if (exchange.requestJson !== undefined) throw new Error('a case changed the shared exchange');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const base = median(samples.get(chosen[0]![0])!);
console.log(
  `${ROUNDS} rounds × ${CALLS_PER_ROUND} calls; CPU µs per call, medians; ratio to the first row`,
);
for (const [id, label] of chosen) {
  const us = median(samples.get(id)!);
  console.log(`${label.padEnd(52)} ${us.toFixed(2).padStart(8)} µs  ${(us / base).toFixed(2)}×`);
}
