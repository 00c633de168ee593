// Validates what a TOKEN or REQUEST Lambda authorizer returned. Anything API Gateway cannot use
// ends the request with AUTHORIZER_CONFIGURATION_ERROR (500, x-amzn-ErrorType
// AuthorizerConfigurationException, body {"message": null}).
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html
//
// API Gateway reads the output with a typed JSON reader (its own errors quote Jackson, e.g.
// "Invalid JSON in response: Can not deserialize instance of java.lang.String out of START_ARRAY
// token" for an array in `context`); the rules below follow from that:
// - not JSON, or JSON `null` ("Could not parse policy"), or not an object       → 500
// - principalId missing or null                                                → 500
// - principalId an object or array                                             → 500
// - principalId a number or boolean: read as its text, as a string field would → accepted
// - policyDocument missing, not an object, or rejected by compilePolicy        → 500
// - context not an object                                                      → 500
// - a context value that is an object or array ("you cannot set a JSON object or array as a
//   valid value of any key in the context map")                               → 500
// - a context value null: the key is dropped (no value to pass on)
// - usageIdentifierKey: read like principalId; absent or null → none
// - any other key is ignored.
import { anyKeyMap } from '../any-key-map.js';
import { AuthorizerConfigurationError } from '../errors.js';
import { compilePolicy, type CompiledPolicy } from './policy.js';
import { InvalidPolicyError } from './errors.js';

export interface AuthorizerResult {
  principalId: string;
  policy: CompiledPolicy;
  context: Record<string, string | number | boolean>;
  usageIdentifierKey?: string;
  /** The request whose invocation produced this result: a cached result remembers it. */
  issuedFor?: { methodArn: string; at: number };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A JSON scalar read into a string field: text as is, numbers and booleans as their text. */
function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function parseContext(raw: unknown): Record<string, string | number | boolean> {
  const context = anyKeyMap<string | number | boolean>();
  if (raw === undefined || raw === null) return context;
  if (!isObject(raw)) throw new AuthorizerConfigurationError('context must be an object');
  for (const [key, value] of Object.entries(raw)) {
    if (value === null) continue;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      context[key] = value;
      continue;
    }
    throw new AuthorizerConfigurationError(
      `context.${key} must be a string, number or boolean, not ${Array.isArray(value) ? 'an array' : 'an object'}`,
    );
  }
  return context;
}

function parseJson(payload: string): unknown {
  try {
    return JSON.parse(payload);
  } catch {
    throw new AuthorizerConfigurationError('authorizer output is not valid JSON');
  }
}

/** Throws AuthorizerConfigurationError (with a reason for the logs) when AWS would answer 500. */
export function parseAuthorizerOutput(payload: string): AuthorizerResult {
  const output = parseJson(payload);
  if (!isObject(output)) {
    throw new AuthorizerConfigurationError('authorizer output is not a JSON object');
  }

  if (output.principalId === undefined || output.principalId === null) {
    throw new AuthorizerConfigurationError('authorizer output has no principalId');
  }
  const principalId = scalarText(output.principalId);
  if (principalId === undefined) {
    throw new AuthorizerConfigurationError('principalId must be a string');
  }

  if (output.policyDocument === undefined || output.policyDocument === null) {
    throw new AuthorizerConfigurationError('authorizer output has no policyDocument');
  }
  let policy: CompiledPolicy;
  try {
    policy = compilePolicy(output.policyDocument);
  } catch (err) {
    if (err instanceof InvalidPolicyError) throw new AuthorizerConfigurationError(err.message);
    throw err;
  }

  const result: AuthorizerResult = { principalId, policy, context: parseContext(output.context) };

  const key = output.usageIdentifierKey;
  if (key !== undefined && key !== null) {
    const text = scalarText(key);
    if (text === undefined) {
      throw new AuthorizerConfigurationError('usageIdentifierKey must be a string');
    }
    result.usageIdentifierKey = text;
  }
  return result;
}
