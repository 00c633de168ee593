// (c) Import + deploy of a generated OpenAPI file through the code `serve --config` runs
// (cli/start-node.ts: the project read, the document imported and stored, deployed, compiled),
// with the in-memory store, timed from reading sallyport.yaml to a stage ready to serve.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startNode } from '../../src/cli/start-node.js';
import { loadProject } from '../../src/config/project-file.js';
import { createLogger } from '../../src/observability/logger.js';
import { API_ID, STAGE } from './compiled-api.js';
import { openApiWithOperations } from './generated-api.js';
import { median, table } from './measure.js';

export const OPERATION_COUNTS = [10, 1_000];

const TOKEN_AUTH = resolve(import.meta.dirname, '../projects/functions/token-auth');

function projectWith(operations: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'sallyport-scale-'));
  writeFileSync(join(dir, 'openapi.yaml'), JSON.stringify(openApiWithOperations(operations)));
  writeFileSync(
    join(dir, 'sallyport.yaml'),
    `functions:
  token-auth:
    Runtime: nodejs20.x
    Handler: index.handler
    Code: ${TOKEN_AUTH}
apis:
  - name: scale
    id: ${API_ID}
    openapi: ./openapi.yaml
    stages:
      ${STAGE}: {}
`,
  );
  return dir;
}

/** Milliseconds from reading the project to its stage compiled and served. */
async function importAndDeploy(operations: number): Promise<number> {
  const dir = projectWith(operations);
  try {
    const started = process.hrtime.bigint();
    const node = await startNode({
      project: await loadProject(dir),
      dataDir: join(dir, '.sallyport'),
      store: 'memory',
      logger: createLogger({ level: 'silent' }),
    });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const routes = node.gateway.stages.get(API_ID, STAGE)?.router.routes().length;
    await node.close();
    if (routes !== operations) throw new Error(`${operations} operations: ${routes} routes served`);
    return ms;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface DeployRow {
  operations: number;
  ms: number;
}

export async function measureImportDeploy(rounds: number): Promise<DeployRow[]> {
  await importAndDeploy(OPERATION_COUNTS[0]!); // warm-up: modules loaded, code compiled
  const samples: number[][] = OPERATION_COUNTS.map(() => []);
  for (let r = 0; r < rounds; r++)
    for (let k = 0; k < OPERATION_COUNTS.length; k++)
      samples[k]!.push(await importAndDeploy(OPERATION_COUNTS[k]!));
  return OPERATION_COUNTS.map((operations, k) => ({ operations, ms: median(samples[k]!) }));
}

export function importDeployTable(rows: DeployRow[]): string {
  const base = rows[0]!;
  return table(
    '(c) import + deploy of a generated OpenAPI file (serve --config, --store memory)',
    ['operations', 'ms', 'ms per operation', 'ratio to 10'],
    rows.map((r) => [
      r.operations.toLocaleString('en'),
      r.ms.toFixed(0),
      (r.ms / r.operations).toFixed(2),
      (r.ms / base.ms).toFixed(1),
    ]),
  );
}
