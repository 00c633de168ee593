// (e) The time for a change to reach a second node through PostgreSQL: two real `serve` processes
// (bin/sallyport.js, built dist/) on one store, a MOCK answer changed and deployed through node A's
// admin API (the AWS SDK), node B asked without pause until it serves the new answer. Runs with
// SALLYPORT_BENCH_PG (or SALLYPORT_TEST_PG), on a schema of its own that it drops afterwards.
import {
  APIGatewayClient,
  CreateDeploymentCommand,
  CreateRestApiCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
} from '@aws-sdk/client-api-gateway';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dropSchema } from '../../test/store/drop-schema.js';
import { startServer } from '../servers/start-server.js';
import { median, table } from './measure.js';

const CREDENTIALS = { accessKeyId: 'AKIASALLYPORTBENCH01', secretAccessKey: 'b'.repeat(40) };

export const benchPostgres = (): string | undefined =>
  process.env.SALLYPORT_BENCH_PG ?? process.env.SALLYPORT_TEST_PG;

interface Node {
  child: ChildProcess;
  base: string;
  admin: string;
  dataDir: string;
}

async function startNode(store: string): Promise<Node> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sallyport-scale-pg-'));
  const { child, ready } = await startServer(
    [
      'bin/sallyport.js',
      'serve',
      '--store',
      store,
      '--port',
      '0',
      '--admin-port',
      '0',
      '--workers',
      '1',
      '--log-level',
      'warn',
      '--data-dir',
      dataDir,
    ],
    {
      env: {
        SALLYPORT_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
        SALLYPORT_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      },
      ready: (out: string) => {
        const base = /listening on (http:\/\/\S+)/.exec(out)?.[1];
        const admin = /Admin API .*: (http:\/\/\S+)/.exec(out)?.[1];
        return base && admin ? { base, admin } : undefined;
      },
    },
  );
  return { child, ...ready, dataDir };
}

async function stopNode(node: Node): Promise<void> {
  if (node.child.exitCode === null) {
    node.child.kill('SIGTERM');
    await new Promise((r) => node.child.once('exit', r));
  }
  rmSync(node.dataDir, { recursive: true, force: true });
}

/** A MOCK `GET /` answering `{"v":N}`, changed and deployed again with each call of `deploy`. */
class MockApi {
  private readonly apigw: APIGatewayClient;
  restApiId = '';
  private rootId = '';

  constructor(admin: string) {
    this.apigw = new APIGatewayClient({
      endpoint: admin,
      region: 'us-east-1',
      credentials: CREDENTIALS,
    });
  }

  async create(): Promise<void> {
    const api = await this.apigw.send(new CreateRestApiCommand({ name: 'propagation' }));
    this.restApiId = api.id!;
    this.rootId = api.rootResourceId!;
    const at = { restApiId: this.restApiId, resourceId: this.rootId, httpMethod: 'GET' };
    await this.apigw.send(new PutMethodCommand({ ...at, authorizationType: 'NONE' }));
    await this.apigw.send(
      new PutIntegrationCommand({
        ...at,
        type: 'MOCK',
        requestTemplates: { 'application/json': '{"statusCode": 200}' },
      }),
    );
    await this.apigw.send(new PutMethodResponseCommand({ ...at, statusCode: '200' }));
  }

  /** The answer changed to `{"v":version}`. */
  async change(version: number): Promise<void> {
    await this.apigw.send(
      new PutIntegrationResponseCommand({
        restApiId: this.restApiId,
        resourceId: this.rootId,
        httpMethod: 'GET',
        statusCode: '200',
        responseTemplates: { 'application/json': `{"v":${version}}` },
      }),
    );
  }

  deploy(): Promise<unknown> {
    return this.apigw.send(
      new CreateDeploymentCommand({ restApiId: this.restApiId, stageName: 'dev' }),
    );
  }

  destroy(): void {
    this.apigw.destroy();
  }
}

/**
 * Asks `url` every millisecond or so until it answers `expected`; the time it first did, in ms.
 * (The pause leaves the 2 cores to the nodes: asking without one slowed the deployment itself.)
 */
async function firstAnswer(url: string, expected: string, deadlineMs: number): Promise<number> {
  for (;;) {
    const answer = await fetch(url);
    const body = await answer.text();
    const now = performance.now();
    if (answer.status === 200 && body === expected) return now;
    if (now > deadlineMs) throw new Error(`${url}: still ${answer.status} ${body}`);
    await new Promise((r) => setTimeout(r, 1));
  }
}

export interface PropagationResult {
  rounds: number;
  /** From CreateDeployment sent to node A until node B served the change, ms, each round. */
  sentToServedMs: number[];
  /** From node A's answer to CreateDeployment until node B served the change, ms, each round. */
  answeredToServedMs: number[];
  /** The same on node A itself (its own change, delivered at commit), ms, each round. */
  sentToServedOnAMs: number[];
  /** From CreateDeployment sent until node A answered it, ms, each round. */
  sentToAnsweredMs: number[];
}

export async function measurePropagation(url: string, rounds: number): Promise<PropagationResult> {
  const schema = `bench_propagation_${process.pid}_${Date.now()}`;
  const store = `${url}${url.includes('?') ? '&' : '?'}schema=${schema}`;
  const nodes: Node[] = [];
  let api: MockApi | undefined;
  try {
    const a = await startNode(store);
    nodes.push(a);
    const b = await startNode(store);
    nodes.push(b);
    api = new MockApi(a.admin);
    await api.create();
    await api.change(0);
    await api.deploy();
    const path = `/restapis/${api.restApiId}/dev/_user_request_/`;
    await firstAnswer(b.base + path, '{"v":0}', performance.now() + 60_000);
    const result: PropagationResult = {
      rounds,
      sentToServedMs: [],
      answeredToServedMs: [],
      sentToServedOnAMs: [],
      sentToAnsweredMs: [],
    };
    for (let r = 1; r <= rounds; r++) {
      await api.change(r);
      const expected = `{"v":${r}}`;
      const sent = performance.now();
      let answered = 0;
      const deployed = api.deploy().then(() => (answered = performance.now()));
      // Both nodes asked at once from here on: each one's first new answer is timed.
      const [onA, onB] = await Promise.all([
        firstAnswer(a.base + path, expected, sent + 60_000),
        firstAnswer(b.base + path, expected, sent + 60_000),
      ]);
      await deployed;
      result.sentToServedMs.push(onB - sent);
      result.answeredToServedMs.push(onB - answered);
      result.sentToServedOnAMs.push(onA - sent);
      result.sentToAnsweredMs.push(answered - sent);
    }
    return result;
  } finally {
    api?.destroy();
    for (const node of nodes) await stopNode(node);
    await dropSchema(url, schema);
  }
}

export function propagationTable(result: PropagationResult | string): string {
  const title =
    '(e) a MOCK change deployed through node A (CreateDeployment), until node B serves it (two `serve`, one PostgreSQL store)';
  if (typeof result === 'string') return `${title}\n${result}\n`;
  const stats = (xs: number[]) => [
    median(xs).toFixed(1),
    Math.min(...xs).toFixed(1),
    Math.max(...xs).toFixed(1),
  ];
  return table(
    title,
    ['ms, from', 'median', 'min', 'max', 'rounds'],
    [
      ['CreateDeployment sent to node A, until node A answers it', result.sentToAnsweredMs],
      ['CreateDeployment sent to node A, until node A serves it', result.sentToServedOnAMs],
      ['CreateDeployment sent to node A, until node B serves it', result.sentToServedMs],
      ["node A's answer, until node B serves it", result.answeredToServedMs],
    ].map(([name, xs]) => [name as string, ...stats(xs as number[]), String(result.rounds)]),
  );
}
