// CreateFunction, GetFunction, ListFunctions, UpdateFunctionCode, UpdateFunctionConfiguration,
// DeleteFunction. Every change notifies `{kind: 'function', scope: '', id: name}` so each node
// reloads its invoker. https://docs.aws.amazon.com/lambda/latest/api/API_Operations.html
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { lambdaFunctionArn } from '../../model/arn.js';
import { checkCode, unpack } from './code.js';
import type { LambdaDeps } from './deps.js';
import {
  conflict,
  functionNotFound,
  invalidParameter,
  preconditionFailed,
  validation,
} from './errors.js';
import {
  checkConfiguration,
  checkFunctionName,
  toFunctionConfiguration,
  type StoredFunction,
} from './function-configuration.js';
import type { StoreTx } from '../../store/store.js';

type Body = Record<string, unknown>;

export async function createFunction(deps: LambdaDeps, body: Body): Promise<unknown> {
  const name = checkFunctionName(body.FunctionName);
  if (body.PackageType !== undefined && body.PackageType !== 'Zip')
    throw invalidParameter('Only PackageType Zip is supported by Sallyport');
  const config = checkConfiguration(body);
  if (config.Role === undefined)
    throw validation(
      "1 validation error detected: Value null at 'role' failed to satisfy constraint: Member must not be null",
    );
  if (config.Runtime === undefined || config.Handler === undefined)
    throw invalidParameter(
      'Runtime and Handler are mandatory parameters for functions created with deployment packages.',
    );
  const code = checkCode(body.Code as Body | undefined);
  const folder = await unpack(deps.dataDir, name, code.hash, code.entries);
  const fn: StoredFunction = {
    FunctionName: name,
    Runtime: config.Runtime,
    Handler: config.Handler,
    Code: folder,
    Timeout: config.Timeout ?? 3,
    MemorySize: config.MemorySize ?? 128,
    Environment: config.Environment ?? { Variables: {} },
    Role: config.Role,
    Description: config.Description ?? '',
    CodeSha256: code.sha256,
    CodeHash: code.hash,
    CodeSize: code.size,
    LastModified: deps.now(),
    RevisionId: randomUUID(),
    Architectures: config.Architectures ?? ['x86_64'],
  };
  await deps.store.transaction(async (tx) => {
    if (await tx.get('function', '', name)) throw conflict(`Function already exist: ${name}`);
    await tx.insert('function', '', name, fn);
    await tx.put('code', name, code.hash, {
      Hash: code.hash,
      ZipFile: code.zip.toString('base64'),
    });
    tx.notify({ kind: 'function', scope: '', id: name });
  });
  return toFunctionConfiguration(fn, deps.settings, true);
}

export async function getFunction(deps: LambdaDeps, name: string): Promise<unknown> {
  const fn = await load(deps, name);
  return {
    Configuration: toFunctionConfiguration(fn, deps.settings),
    // Lambda answers a presigned S3 URL; Sallyport keeps the code in its data directory.
    Code: { RepositoryType: 'S3', Location: `file://${fn.Code}` },
  };
}

export const DEFAULT_MAX_ITEMS = 50;

/** https://docs.aws.amazon.com/lambda/latest/api/API_ListFunctions.html */
export async function listFunctions(deps: LambdaDeps, query: URLSearchParams): Promise<unknown> {
  const all = await deps.store.list<StoredFunction>('function', '');
  const rawMax = query.get('MaxItems');
  const max = rawMax === null ? DEFAULT_MAX_ITEMS : Number(rawMax);
  if (!Number.isInteger(max) || max < 1 || max > 10000)
    throw validation(
      `1 validation error detected: Value '${rawMax}' at 'maxItems' failed to satisfy constraint: Member must have value ${max < 1 ? 'greater than or equal to 1' : 'less than or equal to 10000'}`,
    );
  const start = decodeMarker(query.get('Marker'));
  const page = all.slice(start, start + max);
  return {
    Functions: page.map((fn) => toFunctionConfiguration(fn, deps.settings)),
    ...(start + max < all.length ? { NextMarker: encodeMarker(start + max) } : {}),
  };
}

export async function updateFunctionCode(
  deps: LambdaDeps,
  name: string,
  body: Body,
): Promise<unknown> {
  await load(deps, name);
  const code = checkCode(body);
  if (body.Architectures !== undefined) checkConfiguration({ Architectures: body.Architectures });
  if (body.DryRun === true) {
    const current = await load(deps, name);
    return toFunctionConfiguration(
      { ...current, CodeSha256: code.sha256, CodeSize: code.size },
      deps.settings,
    );
  }
  const folder = await unpack(deps.dataDir, name, code.hash, code.entries);
  const fn = await change(deps, name, body.RevisionId, async (current, tx) => {
    await tx.put('code', name, code.hash, {
      Hash: code.hash,
      ZipFile: code.zip.toString('base64'),
    });
    if (current.CodeHash !== code.hash) await tx.delete('code', name, current.CodeHash);
    const { LocalCode: _uploadedReplacesLocal, ...rest } = current;
    return {
      ...rest,
      Code: folder,
      CodeSha256: code.sha256,
      CodeHash: code.hash,
      CodeSize: code.size,
      ...(Array.isArray(body.Architectures)
        ? { Architectures: body.Architectures as string[] }
        : {}),
    };
  });
  return toFunctionConfiguration(fn, deps.settings);
}

export async function updateFunctionConfiguration(
  deps: LambdaDeps,
  name: string,
  body: Body,
): Promise<unknown> {
  const config = checkConfiguration(body);
  delete config.Architectures; // not a configuration field of this operation
  const fn = await change(deps, name, body.RevisionId, (current) =>
    Promise.resolve({ ...current, ...config }),
  );
  return toFunctionConfiguration(fn, deps.settings);
}

export async function deleteFunction(deps: LambdaDeps, name: string): Promise<void> {
  await deps.store.transaction(async (tx) => {
    if (!(await tx.delete('function', '', name)))
      throw functionNotFound(lambdaFunctionArn(deps.settings, name));
    // Kind by kind, not deleteScope: a function may share its name with an API id.
    for (const kind of ['code', 'permission'] as const) {
      for (const id of await listIds(tx, kind, name)) await tx.delete(kind, name, id);
    }
    tx.notify({ kind: 'function', scope: '', id: name });
  });
  // After commit; workers still finishing on the old code have it open already.
  await rm(join(deps.dataDir, 'functions', name), { recursive: true, force: true }).catch(
    (error: unknown) =>
      deps.logger.warn({ err: error, functionName: name }, 'could not remove function code'),
  );
}

export async function load(deps: LambdaDeps, name: string): Promise<StoredFunction> {
  const fn = await deps.store.get<StoredFunction>('function', '', name);
  if (!fn) throw functionNotFound(lambdaFunctionArn(deps.settings, name));
  return fn;
}

async function change(
  deps: LambdaDeps,
  name: string,
  revisionId: unknown,
  update: (current: StoredFunction, tx: StoreTx) => Promise<StoredFunction>,
): Promise<StoredFunction> {
  return deps.store.transaction(async (tx) => {
    const current = await tx.get<StoredFunction>('function', '', name);
    if (!current) throw functionNotFound(lambdaFunctionArn(deps.settings, name));
    if (revisionId !== undefined && revisionId !== current.RevisionId) throw preconditionFailed();
    const next: StoredFunction = {
      ...(await update(current, tx)),
      LastModified: deps.now(),
      RevisionId: randomUUID(),
    };
    await tx.put('function', '', name, next);
    tx.notify({ kind: 'function', scope: '', id: name });
    return next;
  });
}

function encodeMarker(offset: number): string {
  return Buffer.from(`o:${offset}`).toString('base64url');
}

function decodeMarker(marker: string | null): number {
  if (marker === null || marker === '') return 0;
  const m = /^o:(\d+)$/.exec(Buffer.from(marker, 'base64url').toString());
  if (!m) throw invalidParameter(`Invalid Marker: ${marker}`);
  return Number(m[1]);
}

/** Ids of a scope's entities: permissions are keyed by Sid, code packages by hash. */
async function listIds(tx: StoreTx, kind: 'code' | 'permission', scope: string): Promise<string[]> {
  const docs = await tx.list<{ Sid?: string; Hash?: string }>(kind, scope);
  return docs.map((d) => (kind === 'code' ? d.Hash : d.Sid) ?? '');
}
