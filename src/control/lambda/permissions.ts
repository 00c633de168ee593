// AddPermission, RemovePermission, GetPolicy: the function's resource-based policy, one stored
// statement per Sid. The data plane enforces it for API Gateway's invocations
// (resource-policy.ts): a function created through this API must allow apigateway.amazonaws.com,
// as on AWS; functions from sallyport.yaml are permitted implicitly.
// https://docs.aws.amazon.com/lambda/latest/api/API_AddPermission.html
import { lambdaFunctionArn } from '../../model/arn.js';
import type { LambdaDeps } from './deps.js';
import { conflict, notFound, preconditionFailed, validation } from './errors.js';
import type { StoredFunction } from './function-configuration.js';
import { functionNotFound } from './errors.js';

export interface Statement {
  Sid: string;
  Effect: 'Allow';
  Principal: string | Record<string, string>;
  Action: string;
  Resource: string;
  Condition?: Record<string, Record<string, string>>;
}

type Body = Record<string, unknown>;

export async function addPermission(deps: LambdaDeps, name: string, body: Body): Promise<unknown> {
  const sid = required(body.StatementId, 'statementId');
  if (!/^[a-zA-Z0-9-_.]{1,100}$/.test(sid))
    throw validation(
      `1 validation error detected: Value '${sid}' at 'statementId' failed to satisfy constraint: Member must satisfy regular expression pattern: ([a-zA-Z0-9-_.]+)`,
    );
  const action = required(body.Action, 'action');
  const principal = required(body.Principal, 'principal');
  const statement: Statement = {
    Sid: sid,
    Effect: 'Allow',
    Principal: principalOf(principal),
    Action: action,
    Resource: lambdaFunctionArn(deps.settings, name),
  };
  const condition: Record<string, Record<string, string>> = {};
  if (typeof body.SourceAccount === 'string')
    condition.StringEquals = { 'AWS:SourceAccount': body.SourceAccount };
  if (typeof body.SourceArn === 'string') condition.ArnLike = { 'AWS:SourceArn': body.SourceArn };
  if (Object.keys(condition).length > 0) statement.Condition = condition;

  await deps.store.transaction(async (tx) => {
    const fn = await tx.get<StoredFunction>('function', '', name);
    if (!fn) throw functionNotFound(lambdaFunctionArn(deps.settings, name));
    if (body.RevisionId !== undefined && body.RevisionId !== fn.RevisionId)
      throw preconditionFailed();
    if (await tx.get('permission', name, sid))
      throw conflict(
        'The statement id (' +
          sid +
          ') provided already exists. Please provide a new statement id, or remove the existing statement.',
      );
    await tx.insert('permission', name, sid, statement);
    tx.notify({ kind: 'permission', scope: name, id: sid });
  });
  return { Statement: JSON.stringify(statement) };
}

export async function removePermission(deps: LambdaDeps, name: string, sid: string): Promise<void> {
  await deps.store.transaction(async (tx) => {
    if (!(await tx.get('function', '', name)))
      throw functionNotFound(lambdaFunctionArn(deps.settings, name));
    if (!(await tx.delete('permission', name, sid)))
      throw notFound(`Statement ${sid} is not found in resource policy.`);
    tx.notify({ kind: 'permission', scope: name, id: sid });
  });
}

export async function getPolicy(deps: LambdaDeps, name: string): Promise<unknown> {
  const fn = await deps.store.get<StoredFunction>('function', '', name);
  if (!fn) throw functionNotFound(lambdaFunctionArn(deps.settings, name));
  const statements = await deps.store.list<Statement>('permission', name);
  if (statements.length === 0) throw notFound('The resource you requested does not exist.');
  return {
    Policy: JSON.stringify({ Version: '2012-10-17', Id: 'default', Statement: statements }),
    RevisionId: fn.RevisionId,
  };
}

/** A service (`apigateway.amazonaws.com`), an account or ARN, or `*`, as IAM writes each. */
function principalOf(principal: string): string | Record<string, string> {
  if (principal === '*') return '*';
  if (principal.includes('.')) return { Service: principal };
  const account = /^\d{12}$/.test(principal) ? `arn:aws:iam::${principal}:root` : principal;
  return { AWS: account };
}

function required(value: unknown, member: string): string {
  if (typeof value !== 'string' || value === '')
    throw validation(
      `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`,
    );
  return value;
}
