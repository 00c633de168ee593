// What `sallyport explain` runs (explain.ts defines the command): the stage deployed, its
// authorizers run once, every method's answer printed.
import { randomUUID } from 'node:crypto';
import { executeApiArn } from '../model/arn.js';
import { AuthorizerCache } from '../gateway/authorizers/cache.js';
import type { CompiledPolicy } from '../gateway/authorizers/policy.js';
import type { CompiledAuthorizer, CompiledMethod, CompiledStage } from '../gateway/compiled-api.js';
import { GatewayResponseError } from '../gateway/errors.js';
import { resourcePathOf } from '../gateway/http/request-path.js';
import { createLambdaAuthorizerRunner } from '../gateway/steps/authorize-lambda.js';
import { syntheticRequest } from '../gateway/synthetic-request.js';
import { createLogger, type Logger } from '../observability/logger.js';
import { existingDataDir } from './find-data-dir.js';
import { dataDirFor, projectFor } from './options.js';
import { startNode, type SallyportNode } from './start-node.js';
import type { ExplainOptions } from './explain.js';

export async function explain(options: ExplainOptions): Promise<void> {
  const project = await projectFor(options.config);
  const logger = createLogger({ level: 'warn', destination: process.stderr });
  const node = await startNode({
    project,
    // Without a project to apply, only existing state can be explained: never create an empty one.
    dataDir:
      project || options.store !== undefined
        ? dataDirFor(options.dataDir, project)
        : existingDataDir(options.dataDir, undefined),
    store: options.store,
    logger,
  });
  try {
    const stage = pickStage(node, options);
    const rows = await explainStage(node, stage, options, logger);
    process.stdout.write(`${stage.apiName} (${stage.apiId}), stage ${stage.stageName}\n`);
    process.stdout.write(table(rows));
  } finally {
    await node.close();
    logger.flush();
  }
}

function pickStage(node: SallyportNode, options: ExplainOptions): CompiledStage {
  const all = node.gateway.stages.all();
  const apis = all.filter(
    (s) => options.api === undefined || s.apiId === options.api || s.apiName === options.api,
  );
  const stages = apis.filter((s) => options.stage === undefined || s.stageName === options.stage);
  if (stages.length === 1) return stages[0]!;
  const deployed = all.map((s) => `${s.apiName} (${s.apiId})/${s.stageName}`).join(', ');
  if (stages.length === 0)
    throw new Error(
      `no deployed stage matches${options.api ? ` --api ${options.api}` : ''}${options.stage ? ` --stage ${options.stage}` : ''}; deployed: ${deployed || 'none'}`,
    );
  throw new Error(`several deployed stages match: ${deployed}; choose one with --api and --stage`);
}

interface Row {
  method: string;
  resource: string;
  verdict: string;
  why: string;
}

async function explainStage(
  node: SallyportNode,
  stage: CompiledStage,
  options: ExplainOptions,
  logger: Logger,
): Promise<Row[]> {
  const run = createLambdaAuthorizerRunner({
    invoker: node.invoker,
    cache: new AuthorizerCache(),
    logger,
    now: Date.now,
  });
  // One invocation per authorizer, as a cached authorizer serves every method after the first.
  const answers = new Map<string, Promise<CompiledPolicy | string>>();
  const rows: Row[] = [];
  const byPath = [...stage.router.routes()].sort((a, b) => compare(a.resourcePath, b.resourcePath));
  for (const target of byPath) {
    const methods = [...target.methods].sort(([a], [b]) => compare(a, b));
    for (const [httpMethod, method] of methods) {
      const arn = executeApiArn(
        stage.settings,
        stage.apiId,
        stage.stageName,
        httpMethod,
        resourcePathOf(target.resourcePath),
      );
      const row = { method: httpMethod, resource: target.resourcePath };
      const authorization = method.authorization;
      if (authorization.kind !== 'lambda') {
        rows.push({ ...row, ...notLambda(authorization.kind) });
        continue;
      }
      const authorizer = authorization.authorizer;
      let answer = answers.get(authorizer.id);
      if (!answer) {
        answer = runOnce(run, stage, method, authorizer, arn, options);
        answers.set(authorizer.id, answer);
      }
      const policy = await answer;
      rows.push({
        ...row,
        ...(typeof policy === 'string' ? refused(policy) : decided(policy, arn)),
      });
    }
  }
  return rows;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function notLambda(kind: string): { verdict: string; why: string } {
  if (kind === 'none') return { verdict: 'open', why: 'no authorizer' };
  return {
    verdict: '-',
    why: `${kind === 'iam' ? 'AWS_IAM' : 'JWT'} authorization, not simulated`,
  };
}

function refused(reason: string): { verdict: string; why: string } {
  const colon = reason.indexOf(': ');
  return { verdict: reason.slice(0, colon), why: reason.slice(colon + 2) };
}

/** The authorizer's policy, or why the request never reached one (`401: …`, `500: …`). */
async function runOnce(
  run: ReturnType<typeof createLambdaAuthorizerRunner>,
  stage: CompiledStage,
  method: CompiledMethod,
  authorizer: CompiledAuthorizer,
  arn: string,
  options: ExplainOptions,
): Promise<CompiledPolicy | string> {
  const rawHeaders: string[] = [];
  for (const header of options.header) {
    const colon = header.indexOf(':');
    if (colon < 1) throw new Error(`--header: expected name:value, got ${header}`);
    rawHeaders.push(header.slice(0, colon).trim(), header.slice(colon + 1).trim());
  }
  if (options.token !== undefined) {
    const source = /^method\.request\.header\.(.+)$/.exec(
      authorizer.identitySource.expressions[0] ?? '',
    );
    if (authorizer.type === 'TOKEN' && source) rawHeaders.push(source[1]!, options.token);
  }
  const request = syntheticRequest({
    requestId: randomUUID(),
    httpMethod: method.httpMethod,
    pathWithQueryString:
      method.resourcePath + (options.query.length ? `?${options.query.join('&')}` : ''),
    rawHeaders,
    body: Buffer.alloc(0),
    sourceIp: '127.0.0.1',
    domainName: 'localhost',
    now: Date.now(),
  });
  request.authorization = { authorizer: authorizer.name, type: authorizer.type };
  const exchange = {
    request,
    stage,
    method,
    pathParameters: null,
    authorizer: undefined,
    caller: undefined,
  };
  try {
    return (await run(exchange, authorizer, arn)).result.policy;
  } catch (error) {
    if (!(error instanceof GatewayResponseError)) throw error;
    const reason =
      request.authorization.refusal ?? ('reason' in error ? String(error.reason) : error.message);
    return `${error.responseType === 'UNAUTHORIZED' ? '401' : '500'}: ${reason}`;
  }
}

function decided(policy: CompiledPolicy, arn: string): { verdict: string; why: string } {
  const checks = policy.explain(arn).filter((c) => c.applies && c.matched);
  const deny = checks.find((c) => c.effect === 'Deny');
  if (deny)
    return { verdict: 'Deny', why: `Statement[${deny.index}] Deny ${deny.resources.join(', ')}` };
  const allow = checks.find((c) => c.effect === 'Allow');
  if (allow)
    return {
      verdict: 'Allow',
      why: `Statement[${allow.index}] Allow ${allow.resources.join(', ')}`,
    };
  return { verdict: 'Deny', why: `no statement matches ${arn} (implicit deny)` };
}

function table(rows: Row[]): string {
  const header: Row = { method: 'METHOD', resource: 'RESOURCE', verdict: 'VERDICT', why: 'WHY' };
  const all = [header, ...rows];
  const width = (key: keyof Row) => Math.max(...all.map((r) => r[key].length));
  const [m, r, v] = [width('method'), width('resource'), width('verdict')];
  return all
    .map(
      (row) =>
        `${row.method.padEnd(m)}  ${row.resource.padEnd(r)}  ${row.verdict.padEnd(v)}  ${row.why}\n`,
    )
    .join('');
}
