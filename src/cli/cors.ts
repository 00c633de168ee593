// `sallyport cors`: "Enable CORS" on a resource, as the API Gateway console does it, through a
// running serve's admin API — the same PutMethod/PutIntegration/PutMethodResponse/
// PutIntegrationResponse (and UpdateMethodResponse/UpdateIntegrationResponse) calls a user could
// make, signed with the admin credentials. A second run leaves the same result.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-cors-console.html
import { Command } from 'commander';
import {
  ALLOW_ORIGIN,
  allowedMethods,
  CONSOLE_ALLOW_HEADERS,
  CONSOLE_ALLOW_ORIGIN,
  isProxy,
  MOCK_REQUEST_TEMPLATES,
  optionsIntegrationResponse,
  optionsMethodResponse,
  quoted,
  type CorsValues,
} from '../cors/console-cors.js';
import { adminClient, type AdminCall } from './admin-client.js';
import { adminCredentialsFor } from './admin-credentials.js';
import { fail } from './fail.js';

interface CorsOptions {
  config?: string;
  dataDir?: string;
  endpointUrl: string;
  api?: string;
  resource: string;
  origin: string;
  methods?: string;
  headers: string;
  stage?: string;
}

interface WireMethod {
  httpMethod: string;
  methodResponses?: Record<string, { responseParameters?: Record<string, boolean> }>;
  methodIntegration?: {
    type: string;
    integrationResponses?: Record<string, { responseParameters?: Record<string, string> }>;
  };
}
interface WireResource {
  id: string;
  path: string;
  resourceMethods?: Record<string, WireMethod>;
}
interface Page<T> {
  item?: T[];
}

export function corsCommand(): Command {
  return new Command('cors')
    .description(
      "enable CORS on a resource as the API Gateway console does (an OPTIONS MOCK method and the Access-Control-Allow-* headers), through serve's admin API",
    )
    .requiredOption('--resource <path>', 'the resource path, e.g. /sayhello')
    .option('--api <id|name>', 'the API (default: the only one)')
    .option('--origin <origin>', 'Access-Control-Allow-Origin', CONSOLE_ALLOW_ORIGIN)
    .option(
      '--methods <list>',
      "the resource's methods to enable CORS on, comma-separated (default: all of them)",
    )
    .option('--headers <list>', 'Access-Control-Allow-Headers', CONSOLE_ALLOW_HEADERS)
    .option('--stage <name>', 'then deploy the API to this stage (CreateDeployment)')
    .option('-c, --config <path>', 'sallyport.yaml, or the folder holding it (as for serve)')
    .option('--data-dir <dir>', 'where serve keeps its state, and the admin credentials')
    .option(
      '--endpoint-url <url>',
      "serve's admin API",
      process.env.SALLYPORT_ADMIN_URL ?? 'http://127.0.0.1:9001',
    )
    .action((options: CorsOptions) => enableCors(options).catch(fail));
}

async function enableCors(options: CorsOptions): Promise<void> {
  for (const [flag, value] of [
    ['--origin', options.origin],
    ['--headers', options.headers],
  ] as const)
    if (value === '' || value.includes("'"))
      throw new Error(`${flag}: a non-empty value without single quotes, not ${value}`);
  const call = adminClient(options.endpointUrl, await adminCredentialsFor(options));
  const api = await findApi(call, options.api);
  const resource = await findResource(call, api, options.resource);
  const at = `/restapis/${api.id}/resources/${resource.id}/methods`;
  const methods = resource.resourceMethods ?? {};
  const chosen = chosenMethods(methods, options.methods, options.resource);
  const values: CorsValues = {
    origin: options.origin,
    methods: allowedMethods(chosen),
    headers: options.headers,
  };
  const notes: string[] = [];

  // The OPTIONS method: the console's MOCK, rebuilt from scratch on every run.
  const existing = methods.OPTIONS;
  if (existing) {
    const type = existing.methodIntegration?.type;
    if (type !== undefined && type !== 'MOCK')
      throw new Error(
        `${options.resource} already has an OPTIONS method with a ${type} integration; delete it first (the console would replace it)`,
      );
    await call('DELETE', `${at}/OPTIONS`);
  }
  await call('PUT', `${at}/OPTIONS`, { authorizationType: 'NONE' });
  await call('PUT', `${at}/OPTIONS/integration`, {
    type: 'MOCK',
    requestTemplates: MOCK_REQUEST_TEMPLATES,
    passthroughBehavior: 'WHEN_NO_MATCH',
  });
  await call('PUT', `${at}/OPTIONS/responses/200`, optionsMethodResponse());
  await call('PUT', `${at}/OPTIONS/integration/responses/200`, optionsIntegrationResponse(values));

  // The actual methods: their 200 answer carries Access-Control-Allow-Origin.
  for (const name of chosen) {
    const method = methods[name]!;
    const type = method.methodIntegration?.type;
    if (type === undefined) notes.push(`${name}: no integration yet, left alone`);
    else if (isProxy(type))
      notes.push(
        `${name}: ${type} integration — the backend must send Access-Control-Allow-Origin itself, as on AWS`,
      );
    else if (!method.methodIntegration?.integrationResponses?.['200'])
      notes.push(`${name}: no 200 integration response to map Access-Control-Allow-Origin onto`);
    else await addOriginHeader(call, `${at}/${name}`, method, values.origin);
  }

  process.stdout.write(
    `✔ CORS enabled on ${api.name} (${api.id}) ${resource.path}: OPTIONS answers ${values.methods.join(',')} for origin ${values.origin}\n`,
  );
  for (const note of notes) process.stdout.write(`  ${note}\n`);
  if (options.stage) {
    const deployment = await call<{ id: string }>('POST', `/restapis/${api.id}/deployments`, {
      stageName: options.stage,
    });
    process.stdout.write(
      `✔ deployed ${api.id} to stage ${options.stage} (deployment ${deployment.id})\n`,
    );
  } else
    process.stdout.write(
      `  deploy to take effect: sallyport cors … --stage <name>, or CreateDeployment\n`,
    );
}

/** Declares the header on the 200 method response and maps the origin onto it. */
async function addOriginHeader(
  call: AdminCall,
  at: string,
  method: WireMethod,
  origin: string,
): Promise<void> {
  const add = (value: string) => ({
    patchOperations: [{ op: 'add', path: `/responseParameters/${ALLOW_ORIGIN}`, value }],
  });
  if (method.methodResponses?.['200']) await call('PATCH', `${at}/responses/200`, add('false'));
  else await call('PUT', `${at}/responses/200`, { responseParameters: { [ALLOW_ORIGIN]: false } });
  await call('PATCH', `${at}/integration/responses/200`, add(quoted(origin)));
}

function chosenMethods(
  methods: Record<string, WireMethod>,
  list: string | undefined,
  path: string,
): string[] {
  const present = Object.keys(methods).filter((m) => m !== 'OPTIONS');
  if (list === undefined) return present.sort();
  const wanted = list
    .split(',')
    .map((m) => m.trim().toUpperCase())
    .filter((m) => m !== '' && m !== 'OPTIONS');
  const missing = wanted.filter((m) => !present.includes(m));
  if (missing.length > 0)
    throw new Error(
      `--methods: ${path} has no ${missing.join(', ')} method (it has ${present.join(', ') || 'none'})`,
    );
  return [...new Set(wanted)].sort();
}

async function findApi(
  call: AdminCall,
  wanted: string | undefined,
): Promise<{ id: string; name: string }> {
  const apis =
    (await call<Page<{ id: string; name: string }>>('GET', '/restapis?limit=500')).item ?? [];
  const matches = apis.filter((a) => wanted === undefined || a.id === wanted || a.name === wanted);
  if (matches.length === 1) return matches[0]!;
  const known = apis.map((a) => `${a.name} (${a.id})`).join(', ') || 'none';
  if (matches.length === 0) throw new Error(`no API ${wanted}; the APIs: ${known}`);
  throw new Error(
    `several APIs match${wanted ? ` ${wanted}` : ''}: ${known}; choose one with --api`,
  );
}

async function findResource(
  call: AdminCall,
  api: { id: string; name: string },
  path: string,
): Promise<WireResource> {
  const resources =
    (await call<Page<WireResource>>('GET', `/restapis/${api.id}/resources?limit=500&embed=methods`))
      .item ?? [];
  const normalized = '/' + path.replace(/^\/+|\/+$/g, '');
  const resource = resources.find((r) => r.path === normalized);
  if (!resource)
    throw new Error(
      `no resource ${normalized} in ${api.name} (${api.id}); its resources: ${resources
        .map((r) => r.path)
        .sort()
        .join(', ')}`,
    );
  return resource;
}
