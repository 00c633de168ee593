// Request parameter mapping expressions: `method.request.{path|querystring|header}.NAME`,
// `stageVariables.NAME`, `context.NAME` and `'literal'`.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/request-response-data-mappings.html
import { ownValue } from '../any-key-map.js';
import type { Exchange } from '../compiled-api.js';
import { DeploymentError } from '../errors.js';
import { decodePathValue } from '../router.js';

export type ParameterSource = (exchange: Exchange) => string | undefined;

/** Compiles one expression once; the returned function reads it per request. */
export function compileParameterSource(expression: string): ParameterSource {
  if (expression.length >= 2 && expression.startsWith("'") && expression.endsWith("'")) {
    const literal = expression.slice(1, -1);
    return () => literal;
  }
  const m =
    /^method\.request\.(path|querystring|header|multivaluequerystring|multivalueheader)\.(.+)$/.exec(
      expression,
    );
  if (m) {
    const [, where, name] = m as unknown as [string, string, string];
    if (where === 'path')
      return (x) => {
        const value = ownValue(x.pathParameters, name);
        return value === undefined ? undefined : decodePathValue(value);
      };
    if (where === 'querystring') return (x) => x.request.query.single[name];
    if (where === 'multivaluequerystring') return (x) => x.request.query.multi[name]?.join(',');
    const lower = name.toLowerCase();
    if (where === 'header') return (x) => x.request.headersLower.get(lower);
    return (x) => multiValueHeader(x, lower);
  }
  if (expression.startsWith('stageVariables.')) {
    const name = expression.slice('stageVariables.'.length);
    return (x) => ownValue(x.stage.variables, name);
  }
  if (expression.startsWith('context.authorizer.')) {
    const name = expression.slice('context.authorizer.'.length);
    return (x) => {
      if (!x.authorizer) return undefined;
      if (name === 'principalId') return x.authorizer.principalId;
      const v = x.authorizer.context[name];
      return v === undefined ? undefined : String(v);
    };
  }
  if (expression.startsWith('context.')) {
    const name = expression.slice('context.'.length);
    return (x) => contextValue(x, name);
  }
  throw new DeploymentError(`unsupported mapping expression: ${expression}`);
}

/** Every value of a header, any case, comma-joined, from the request's own maps. */
function multiValueHeader(x: Exchange, lower: string): string | undefined {
  let joined: string | undefined;
  const multi = x.request.headers.multi;
  for (const name in multi) {
    if (name.toLowerCase() !== lower) continue;
    const values = multi[name]!.join(',');
    joined = joined === undefined ? values : `${joined},${values}`;
  }
  return joined;
}

function contextValue(x: Exchange, name: string): string | undefined {
  switch (name) {
    case 'requestId':
      return x.request.requestId;
    case 'stage':
      return x.stage.stageName;
    case 'apiId':
      return x.stage.apiId;
    case 'httpMethod':
      return x.request.httpMethod;
    case 'resourcePath':
      return x.method.resourcePath;
    case 'resourceId':
      return x.method.resourceId;
    case 'identity.sourceIp':
      return x.request.sourceIp;
    case 'identity.userAgent':
      return x.request.headersLower.get('user-agent');
    default:
      return undefined;
  }
}
