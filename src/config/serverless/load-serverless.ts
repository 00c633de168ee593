// `serve --serverless serverless.yml`: a Serverless Framework (v3/v4, provider aws) service as a
// Sallyport project: its functions, and the REST API its `http` events deploy.
// https://www.serverless.com/framework/docs/providers/aws/guide/serverless.yml
import { isObject, type Json } from '../source/values.js';
import { dirname } from 'node:path';
import { DEFAULT_SETTINGS } from '../../model/types.js';
import { restApiIdFor } from '../../support/stable-id.js';
import { ProjectFileError } from '../errors.js';
import type { Project } from '../project-file.js';
import { readProjectYaml } from '../source/read-project-yaml.js';
import type { LocatedYaml, Path } from '../source/located-yaml.js';
import { ACCEPTED_RESOURCE_TYPES } from '../sam/not-emulated.js';
import { toProject, type ConvertedFunction } from '../source/to-project.js';
import { addHttpEvent } from './http-events.js';
import { resolveVariables } from './variables.js';

export interface ServerlessOptions {
  stage?: string;
  region?: string;
  env?: Record<string, string | undefined>;
}

// The Framework's defaults: stage dev, region us-east-1, 6 s, 1024 MB.
// https://www.serverless.com/framework/docs/providers/aws/guide/functions
const DEFAULT_STAGE = 'dev';
const DEFAULT_TIMEOUT = 6;
const DEFAULT_MEMORY = 1024;

const NOT_EMULATED: Record<string, string> = {
  frameworkVersion: 'Serverless Framework settings',
  org: 'Serverless Framework settings',
  app: 'Serverless Framework settings',
  console: 'Serverless Framework settings',
  dashboard: 'Serverless Framework settings',
  useDotenv: 'Serverless Framework settings',
  configValidationMode: 'Serverless Framework settings',
  variablesResolutionMode: 'Serverless Framework settings',
  deprecationNotificationMode: 'Serverless Framework settings',
  disabledDeprecations: 'Serverless Framework settings',
  plugins: 'plugins (not run: serverless-offline and the like are what Sallyport replaces)',
  package: 'packaging (functions run from the service folder)',
  layers: 'layers (the code folder must hold its dependencies)',
  // provider.* and functions.*.* below
  iam: 'IAM (functions run with the permissions of the machine)',
  iamRoleStatements: 'IAM (functions run with the permissions of the machine)',
  iamManagedPolicies: 'IAM (functions run with the permissions of the machine)',
  role: 'IAM (functions run with the permissions of the machine)',
  rolePermissionsBoundary: 'IAM (functions run with the permissions of the machine)',
  deploymentBucket: 'deployment (buckets, stack names, profiles)',
  deploymentPrefix: 'deployment (buckets, stack names, profiles)',
  deploymentMethod: 'deployment (buckets, stack names, profiles)',
  stackName: 'deployment (buckets, stack names, profiles)',
  stackTags: 'descriptions and tags',
  stackPolicy: 'deployment (buckets, stack names, profiles)',
  stackParameters: 'deployment (buckets, stack names, profiles)',
  profile: 'deployment (buckets, stack names, profiles)',
  versionFunctions: 'versions and aliases (the latest code always runs)',
  lambdaHashingVersion: 'versions and aliases (the latest code always runs)',
  tags: 'descriptions and tags',
  description: 'descriptions and tags',
  tracing: 'X-Ray tracing',
  logs: 'log settings (function output goes to Sallyport’s log)',
  logRetentionInDays: 'log settings (function output goes to Sallyport’s log)',
  vpc: 'networking (VPC)',
  architecture: 'architectures (functions run on this machine’s)',
  endpointType: 'endpoint types (every API is served on this machine)',
  reservedConcurrency: 'concurrency settings',
  provisionedConcurrency: 'concurrency settings',
  kmsKeyArn: 'encryption keys',
  maximumRetryAttempts: 'asynchronous invocation settings',
  maximumEventAge: 'asynchronous invocation settings',
  destinations: 'asynchronous invocation settings',
  onError: 'asynchronous invocation settings',
  url: 'function URLs (functions are reached through the API only)',
  ephemeralStorageSize: 'ephemeral storage size',
  httpApi: 'HTTP API settings (no httpApi events are served)',
  websocketsApiName: 'WebSocket API settings',
  websocketsApiRouteSelectionExpression: 'WebSocket API settings',
  disableLogs: 'log settings (function output goes to Sallyport’s log)',
};

const PROVIDER_KEYS = new Set([
  'name',
  'runtime',
  'stage',
  'region',
  'environment',
  'timeout',
  'memorySize',
  'apiName',
  'apiGateway',
]);
const FUNCTION_KEYS = new Set([
  'handler',
  'runtime',
  'timeout',
  'memorySize',
  'environment',
  'events',
  'name',
]);
const TOP_KEYS = new Set(['service', 'provider', 'functions', 'custom', 'resources']);

/** `pathArg` is serverless.yml or the folder holding it (serverless.yml / serverless.yaml). */
export async function loadServerlessProject(
  pathArg: string,
  options: ServerlessOptions = {},
): Promise<Project> {
  const { file, yaml } = await readProjectYaml(pathArg, ['serverless.yml', 'serverless.yaml']);
  return new ServerlessService(yaml, file, options).toProject();
}

class ServerlessService {
  private readonly notEmulated = new Map<string, Set<string>>();
  private readonly raw: Json;
  private readonly config: Json;
  private readonly stage: string;
  private readonly region: string;
  private readonly service: string;

  constructor(
    private readonly yaml: LocatedYaml,
    private readonly file: string,
    options: ServerlessOptions,
  ) {
    if (!isObject(yaml.value)) this.fail([], 'expected a serverless.yml (a mapping)');
    this.raw = yaml.value;
    const provider = isObject(this.raw.provider) ? this.raw.provider : {};
    const opts: Record<string, string> = {};
    if (options.stage) opts.stage = options.stage;
    if (options.region) opts.region = options.region;
    const sources = {
      self: this.raw,
      env: options.env ?? process.env,
      options: opts,
      stage: () => this.stage,
      region: () => this.region,
      accountId: DEFAULT_SETTINGS.accountId,
      fail: (path: Path, message: string) => this.fail(path, message),
    };
    // Stage and region first: other variables (${sls:stage}) read them.
    const stageOf = () => options.stage ?? provider.stage ?? DEFAULT_STAGE;
    const regionOf = () => options.region ?? provider.region ?? DEFAULT_SETTINGS.region;
    this.stage = String(
      resolveVariables(stageOf(), { ...sources, stage: () => DEFAULT_STAGE }, [
        'provider',
        'stage',
      ]),
    );
    this.region = String(resolveVariables(regionOf(), sources, ['provider', 'region']));
    this.config = resolveVariables(this.raw, sources, []) as Json;
    const service = this.config.service;
    const name = isObject(service) ? service.name : service;
    if (typeof name !== 'string' || name === '')
      this.fail(['service'], 'service is required (the service name)');
    this.service = name;
  }

  fail(path: Path, message: string): never {
    throw new ProjectFileError(
      'ERR_PROJECT_INVALID',
      this.file,
      `${this.yaml.where(path)}: ${message}`,
    );
  }

  private accept(key: string, item: string): boolean {
    const kind = NOT_EMULATED[key];
    if (!kind) return false;
    const items = this.notEmulated.get(kind) ?? new Set<string>();
    items.add(item);
    this.notEmulated.set(kind, items);
    return true;
  }

  async toProject(): Promise<Project> {
    for (const key of Object.keys(this.config))
      if (!TOP_KEYS.has(key) && !this.accept(key, key))
        this.fail([key], 'not a serverless.yml setting Sallyport knows (a typo?)');
    const provider = this.provider();
    const functions = isObject(this.config.functions) ? this.config.functions : {};
    const names = new Map<string, string>();
    for (const [key, fn] of Object.entries(functions)) {
      const name =
        isObject(fn) && typeof fn.name === 'string'
          ? fn.name
          : `${this.service}-${this.stage}-${key}`;
      names.set(key, name);
    }
    const converted: ConvertedFunction[] = [];
    const apiName =
      typeof provider.apiName === 'string' ? provider.apiName : `${this.stage}-${this.service}`;
    const document: Json = { swagger: '2.0', info: { title: apiName, version: '1.0' }, paths: {} };
    this.apiGateway(provider.apiGateway, document);
    const ctx = {
      region: this.region,
      functionName: (key: string) => names.get(key),
      functionArn: (name: string) =>
        `arn:aws:lambda:${this.region}:${DEFAULT_SETTINGS.accountId}:function:${name}`,
      fail: (path: Path, message: string) => this.fail(path, message),
    };
    for (const [key, fn] of Object.entries(functions)) {
      const at = ['functions', key];
      if (!isObject(fn)) this.fail(at, 'expected a mapping with handler');
      converted.push(this.function(key, names.get(key)!, fn, provider));
      const events = fn.events ?? [];
      if (!Array.isArray(events)) this.fail([...at, 'events'], 'expected a list of events');
      events.forEach((event, i) => {
        const eventAt = [...at, 'events', i];
        if (!isObject(event) || Object.keys(event).length !== 1)
          this.fail(eventAt, 'expected one event, e.g. http: …');
        const [type, spec] = Object.entries(event)[0]!;
        if (type === 'http')
          addHttpEvent(document, ctx, names.get(key)!, spec, [...eventAt, 'http']);
        else if (type === 'httpApi' || type === 'websocket')
          this.fail(
            [...eventAt, type],
            `${type} events (API Gateway v2) are not served: Sallyport serves REST APIs (use http events)`,
          );
        else if (type === 'alb')
          this.fail(
            [...eventAt, type],
            'alb events are not served: Sallyport serves API Gateway REST APIs (use http events)',
          );
        else
          this.acceptKind(
            'event sources other than http (functions run when called through the API)',
            `${type} (${key})`,
          );
      });
    }
    this.resources();
    const paths = document.paths as Json;
    const apis =
      Object.keys(paths).length === 0
        ? []
        : [
            {
              name: apiName,
              id: restApiIdFor(apiName),
              where: this.yaml.where(['functions']),
              document,
              stages: [
                {
                  stageName: this.stage,
                  variables: {},
                  where: this.yaml.where(['provider', 'stage']),
                },
              ],
            },
          ];
    return toProject({
      file: this.file,
      settings: { region: this.region },
      functions: converted,
      apis,
      notEmulated: [...this.notEmulated].map(
        ([kind, items]) => `${kind}: ${[...items].join(', ')}`,
      ),
    });
  }

  private acceptKind(kind: string, item: string): void {
    const items = this.notEmulated.get(kind) ?? new Set<string>();
    items.add(item);
    this.notEmulated.set(kind, items);
  }

  private provider(): Json {
    const provider = this.config.provider;
    if (!isObject(provider)) this.fail(['provider'], 'provider is required (name: aws)');
    if (provider.name !== 'aws')
      this.fail(['provider', 'name'], 'only provider name: aws is served');
    for (const key of Object.keys(provider))
      if (!PROVIDER_KEYS.has(key) && !this.accept(key, `provider.${key}`))
        this.fail(['provider', key], 'not a provider setting Sallyport knows (a typo?)');
    return provider;
  }

  private apiGateway(raw: unknown, document: Json): void {
    if (raw === undefined) return;
    if (!isObject(raw)) this.fail(['provider', 'apiGateway'], 'expected a mapping');
    for (const [key, value] of Object.entries(raw)) {
      const at = ['provider', 'apiGateway', key];
      if (key === 'binaryMediaTypes') document['x-amazon-apigateway-binary-media-types'] = value;
      else if (key === 'minimumCompressionSize')
        document['x-amazon-apigateway-minimum-compression-size'] = value;
      else if (key === 'apiKeySourceType') document['x-amazon-apigateway-api-key-source'] = value;
      else if (
        key === 'description' ||
        key === 'metrics' ||
        key === 'shouldStartNameWithService' ||
        key === 'disableDefaultEndpoint'
      )
        this.acceptKind('API settings with no local effect', `provider.apiGateway.${key}`);
      else
        this.fail(
          at,
          key === 'apiKeys' || key === 'usagePlan'
            ? 'API keys and usage plans are not converted yet: declare them in sallyport.yaml (usagePlans)'
            : `provider.apiGateway.${key} is not converted`,
        );
    }
  }

  private function(key: string, name: string, fn: Json, provider: Json): ConvertedFunction {
    const at = ['functions', key];
    for (const k of Object.keys(fn))
      if (!FUNCTION_KEYS.has(k) && !this.accept(k, `functions.*.${k}`))
        this.fail([...at, k], 'not a function setting Sallyport knows (a typo?)');
    const environment = {
      ...(isObject(provider.environment) ? provider.environment : {}),
      ...(isObject(fn.environment) ? fn.environment : {}),
    };
    const config: Json = {
      Runtime: fn.runtime ?? provider.runtime,
      Handler: fn.handler,
      Code: dirname(this.file),
      Timeout: fn.timeout ?? provider.timeout ?? DEFAULT_TIMEOUT,
      MemorySize: fn.memorySize ?? provider.memorySize ?? DEFAULT_MEMORY,
      Environment: { Variables: environment },
    };
    if (config.Runtime === undefined)
      this.fail([...at, 'runtime'], 'no runtime: set provider.runtime or the function’s runtime');
    return { name, where: this.yaml.where(at), config };
  }

  /** `resources:` is CloudFormation: what configures AWS only is listed, the rest refused. */
  private resources(): void {
    const resources = this.config.resources;
    if (resources === undefined) return;
    if (!isObject(resources)) this.fail(['resources'], 'expected a mapping');
    for (const [section, value] of Object.entries(resources)) {
      if (section === 'Outputs') this.acceptKind('stack outputs', 'resources.Outputs');
      else if (section === 'Resources' && isObject(value)) {
        for (const [id, resource] of Object.entries(value)) {
          const type = isObject(resource) ? String(resource.Type) : '';
          const kind = ACCEPTED_RESOURCE_TYPES[type];
          if (kind) this.acceptKind(kind, type);
          else
            this.fail(
              ['resources', 'Resources', id, 'Type'],
              `${type} in resources is not converted (it may change how requests are answered)`,
            );
        }
      } else this.fail(['resources', section], 'expected Resources or Outputs');
    }
  }
}
