// CreateApiKey, GetApiKeys, GetApiKey, UpdateApiKey, DeleteApiKey, ImportApiKeys.
// Keys are top-level entities (kind `apikey`); every change is announced so each node rebuilds
// its usage catalog. Values are shown only where AWS shows them (CreateApiKey, includeValue(s)).
// https://docs.aws.amazon.com/apigateway/latest/api/API_CreateApiKey.html
// https://docs.aws.amazon.com/apigateway/latest/api/API_ImportApiKeys.html
import { randomBytes } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { awsId } from '../../model/ids.js';
import type { ApiKey, UsagePlan, UsagePlanKeyLink } from '../../model/usage-plans.js';
import type { StoreReader, StoreTx } from '../../store/store.js';
import { BadRequestError, ConflictError, NotFoundError, ValidationError } from '../errors.js';
import type { ApiGatewayDeps } from './deps.js';
import { getApi, getStage } from './entities.js';
import { parseBody, type Body } from './fields.js';
import { paginate } from './pagination.js';
import {
  applyPatchOperations,
  booleanValue,
  readPatchOperations,
  stringField,
  type PatchRule,
} from './patch-operations.js';
import { apiKeyWire } from './usage-wire.js';

// Generated keys are 40 letters and digits, as AWS generates them; one given must be 20 to 128
// characters (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-basic-concept.html#apigateway-definition-api-key).
const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const KEY_VALUE = /^[\x21-\x7e]{20,128}$/;

export const APIKEY_CHANGED = { kind: 'apikey', scope: '', id: '' } as const;

export function generateKeyValue(): string {
  const bytes = randomBytes(40);
  let value = '';
  for (const byte of bytes) value += KEY_ALPHABET[byte % KEY_ALPHABET.length];
  return value;
}

function checkKeyValue(value: string): void {
  if (!KEY_VALUE.test(value))
    throw new BadRequestError(
      'API Key value should be at least 20 characters long, at most 128, without spaces',
    );
}

const stageKeySchema = z.object({ restApiId: z.string(), stageName: z.string() });

export const createApiKeySchema = z.object({
  name: z.string().optional(),
  description: z.string().optional(),
  enabled: z.boolean().optional(),
  generateDistinctId: z.boolean().optional(),
  value: z.string().optional(),
  stageKeys: z.array(stageKeySchema).optional(),
  customerId: z.string().optional(),
  tags: z.record(z.string(), z.string()).optional(),
});

/** Throws ConflictException when another key has this value. */
async function checkUnique(tx: StoreTx, value: string, ownId?: string): Promise<void> {
  const keys = await tx.list<ApiKey>('apikey', '');
  if (keys.some((k) => k.value === value && k.id !== ownId))
    throw new ConflictError('API Key already exists');
}

async function checkStageKey(deps: ApiGatewayDeps, tx: StoreTx, stageKey: string): Promise<void> {
  const slash = stageKey.indexOf('/');
  if (slash <= 0) throw new BadRequestError(`Invalid stage key: ${stageKey}`);
  await getApi(tx, stageKey.slice(0, slash), deps.settings.accountId);
  await getStage(tx, stageKey.slice(0, slash), stageKey.slice(slash + 1));
}

export async function createApiKey(deps: ApiGatewayDeps, body: Body) {
  const input = parseBody(createApiKeySchema, body, 'createApiKey');
  const now = deps.now();
  const key: ApiKey = {
    id: awsId(10),
    value: input.value ?? generateKeyValue(),
    name: input.name ?? '',
    enabled: input.enabled ?? false,
    createdDate: now,
    lastUpdatedDate: now,
    stageKeys: (input.stageKeys ?? []).map((s) => `${s.restApiId}/${s.stageName}`),
  };
  if (input.description !== undefined) key.description = input.description;
  if (input.customerId !== undefined) key.customerId = input.customerId;
  if (input.tags !== undefined) key.tags = input.tags;
  checkKeyValue(key.value);
  await deps.store.transaction(async (tx) => {
    await checkUnique(tx, key.value);
    for (const stageKey of key.stageKeys) await checkStageKey(deps, tx, stageKey);
    await tx.insert('apikey', '', key.id, key);
    tx.notify({ ...APIKEY_CHANGED, id: key.id });
  });
  return apiKeyWire(key, true);
}

export async function getApiKey(reader: StoreReader, keyId: string): Promise<ApiKey> {
  const key = await reader.get<ApiKey>('apikey', '', keyId);
  if (!key) throw new NotFoundError('Invalid API Key identifier specified');
  return key;
}

/** `?name=` (a prefix, as AWS's nameQuery), `?customerId=`, `?includeValues=true`. */
export async function getApiKeys(deps: ApiGatewayDeps, query: URLSearchParams) {
  const name = query.get('name');
  const customerId = query.get('customerId');
  const keys = (await deps.store.list<ApiKey>('apikey', '')).filter(
    (k) =>
      (name === null || k.name.startsWith(name)) &&
      (customerId === null || k.customerId === customerId),
  );
  const page = paginate(keys, query);
  const includeValues = query.get('includeValues') === 'true';
  return { ...page, item: page.item.map((k) => apiKeyWire(k, includeValues)) };
}

export async function getApiKeyOp(deps: ApiGatewayDeps, keyId: string, query: URLSearchParams) {
  return apiKeyWire(await getApiKey(deps.store, keyId), query.get('includeValue') === 'true');
}

// https://docs.aws.amazon.com/apigateway/latest/api/patch-operations.html#UpdateApiKey-Patch
const API_KEY_PATCH: PatchRule<ApiKey>[] = [
  { path: '/name', ops: ['replace'], set: (k, v) => void (k.name = v ?? '') },
  stringField('/description', 'description'),
  stringField('/customerId', 'customerId'),
  {
    path: '/enabled',
    ops: ['replace'],
    set: (k, v) => void (k.enabled = booleanValue(v, '/enabled')),
  },
  {
    path: '/stages',
    ops: ['add', 'remove'],
    set: (k, v, op) => {
      if (v === undefined)
        throw new BadRequestError('Invalid patch operation: /stages needs a value');
      k.stageKeys = k.stageKeys.filter((s) => s !== v);
      if (op === 'add') k.stageKeys.push(v);
    },
  },
];

export async function updateApiKey(deps: ApiGatewayDeps, keyId: string, body: Body) {
  const operations = readPatchOperations(body, 'updateApiKeyInput');
  const key = await deps.store.transaction(async (tx) => {
    const key = await getApiKey(tx, keyId);
    const before = new Set(key.stageKeys);
    applyPatchOperations(key, operations, API_KEY_PATCH);
    for (const stageKey of key.stageKeys)
      if (!before.has(stageKey)) await checkStageKey(deps, tx, stageKey);
    key.lastUpdatedDate = deps.now();
    await tx.put('apikey', '', key.id, key);
    tx.notify({ ...APIKEY_CHANGED, id: key.id });
    return key;
  });
  return apiKeyWire(key, false);
}

/** Deleting a key also ends its usage-plan memberships. */
export async function deleteApiKey(deps: ApiGatewayDeps, keyId: string): Promise<void> {
  await deps.store.transaction(async (tx) => {
    await getApiKey(tx, keyId);
    for (const plan of await tx.list<UsagePlan>('usageplan', ''))
      await tx.delete('usageplankey', plan.id, keyId);
    await tx.delete('apikey', '', keyId);
    tx.notify({ ...APIKEY_CHANGED, id: keyId });
  });
}

interface CsvKey {
  name: string;
  value: string;
  description: string | undefined;
  enabled: boolean;
  usagePlanIds: string[];
}

/**
 * ImportApiKeys (`format=csv`): a header row naming `key` and optionally `name`, `description`,
 * `enabled`, `usageplanIds` (`:`-separated ids), in any order and case, as AWS documents.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-key-file-format.html
 * With `failonwarnings=true` a bad row fails the whole import; otherwise it is skipped with a
 * warning naming it, and the other keys are imported.
 */
export async function importApiKeys(deps: ApiGatewayDeps, query: URLSearchParams, body: Buffer) {
  const format = query.get('format');
  if (format !== 'csv')
    throw new ValidationError(
      `1 validation error detected: Value ${format === null ? 'null' : `'${format}'`} at 'format' failed to satisfy constraint: Member must satisfy enum value set: [csv]`,
    );
  const failOnWarnings = query.get('failonwarnings') === 'true';
  const { rows, warnings } = readCsv(body);
  if (failOnWarnings && warnings.length > 0) throw new BadRequestError(warnings[0]!);
  const ids: string[] = [];
  await deps.store.transaction(async (tx) => {
    const existing = new Set((await tx.list<ApiKey>('apikey', '')).map((k) => k.value));
    for (const [index, row] of rows.entries()) {
      const line = index + 2;
      const problem = await rowProblem(tx, row, existing);
      if (problem !== undefined) {
        if (failOnWarnings) throw new BadRequestError(`line ${line}: ${problem}`);
        warnings.push(`line ${line}: ${problem}`);
        continue;
      }
      const now = deps.now();
      const key: ApiKey = {
        id: awsId(10),
        value: row.value,
        name: row.name,
        enabled: row.enabled,
        createdDate: now,
        lastUpdatedDate: now,
        stageKeys: [],
      };
      if (row.description) key.description = row.description;
      existing.add(key.value);
      await tx.insert('apikey', '', key.id, key);
      for (const planId of row.usagePlanIds)
        await tx.put<UsagePlanKeyLink>('usageplankey', planId, key.id, {
          id: key.id,
          type: 'API_KEY',
        });
      tx.notify({ ...APIKEY_CHANGED, id: key.id });
      ids.push(key.id);
    }
  });
  return { ids, warnings };
}

async function rowProblem(tx: StoreTx, row: CsvKey, existing: Set<string>) {
  if (!KEY_VALUE.test(row.value)) return 'API Key value should be at least 20 characters long';
  if (existing.has(row.value)) return 'API Key already exists';
  for (const planId of row.usagePlanIds)
    if (!(await tx.get('usageplan', '', planId)))
      return `Invalid Usage Plan ID specified: ${planId}`;
  return undefined;
}

function readCsv(body: Buffer): { rows: CsvKey[]; warnings: string[] } {
  let records: string[][];
  try {
    records = parse(body, { skip_empty_lines: true, trim: true, relax_column_count: true });
  } catch (error) {
    throw new BadRequestError(`Invalid CSV: ${(error as Error).message}`);
  }
  const header = (records[0] ?? []).map((h) => h.toLowerCase());
  const column = (name: string) => header.indexOf(name);
  const keyAt = column('key');
  if (keyAt === -1) throw new BadRequestError("Invalid CSV: the header names no 'key' column");
  const at = (record: string[], name: string) => {
    const i = column(name);
    return i === -1 ? undefined : record[i];
  };
  const warnings: string[] = [];
  const rows = records.slice(1).map((record) => ({
    value: record[keyAt] ?? '',
    name: at(record, 'name') ?? '',
    description: at(record, 'description'),
    enabled: (at(record, 'enabled') ?? 'false').toLowerCase() === 'true',
    usagePlanIds: (at(record, 'usageplanids') ?? '').split(':').filter((id) => id !== ''),
  }));
  return { rows, warnings };
}
