// Integration responses, compiled once per deployment: the one whose selectionPattern matches
// (the Lambda errorMessage, or the HTTP / MOCK status code) — else the default one — gives the
// method response's status, its headers (responseParameters) and its body (responseTemplates,
// or the backend's payload passed through).
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-integration-settings-integration-response.html
// https://docs.aws.amazon.com/apigateway/latest/developerguide/request-response-data-mappings.html
import { compileFullMatch, UnsupportedRegexError } from '../../model/linear-regex.js';
import type { Integration, IntegrationResponse } from '../../model/types.js';
import type { Exchange, HttpAnswer } from '../compiled-api.js';
import { ApiConfigurationError, DeploymentError } from '../errors.js';
import { compileParameterSource, type ParameterSource } from './parameters.js';
import { evaluateJsonPath } from './json-path.js';
import { templateVariables } from './template-variables.js';
import { compileTemplate, TemplateRenderError, type CompiledTemplate } from './vtl.js';

/** What the backend answered, as the response mapping reads it. */
export interface BackendAnswer {
  /** The payload: Lambda's result or error document, the HTTP body, MOCK's nothing. */
  body: Buffer | string;
  /** Lower-cased header name → values (HTTP backends only). */
  headers?: Map<string, string[]>;
  /** The payload's Content-Type is one of the API's binaryMediaTypes (HTTP backends only). */
  binary?: boolean;
}

/** The answer's payload as JSON (NOT_JSON when it is not), parsed at most once per answer. */
type Document = () => unknown;

type ResponseSource = (
  exchange: Exchange,
  backend: BackendAnswer,
  document: Document,
) => string | undefined;

interface CompiledResponse {
  matches: ((input: string) => boolean) | undefined;
  statusCode: number;
  headers: [string, ResponseSource][];
  templates: Map<string, CompiledTemplate>;
  contentHandling: IntegrationResponse['contentHandling'];
}

export interface IntegrationResponses {
  /** `key` is what selection patterns are matched against; undefined selects the default. */
  answer(exchange: Exchange, key: string | undefined, backend: BackendAnswer): HttpAnswer;
}

export function compileIntegrationResponses(
  integration: Integration,
  where: string,
): IntegrationResponses {
  const patterned: CompiledResponse[] = [];
  let fallback: CompiledResponse | undefined;
  for (const response of Object.values(integration.integrationResponses ?? {})) {
    const compiled = compileResponse(response, where);
    if (compiled.matches) patterned.push(compiled);
    else fallback = compiled;
  }
  return {
    answer(exchange, key, backend) {
      const selected =
        (key === undefined ? undefined : patterned.find((r) => r.matches!(key))) ?? fallback;
      // AWS logs "No match for output mapping and no default output mapping configured" → 500.
      if (!selected)
        throw new ApiConfigurationError(
          `No match for output mapping and no default output mapping configured (${key ?? 'success'})`,
        );
      return render(selected, exchange, backend);
    },
  };
}

function compileResponse(response: IntegrationResponse, where: string): CompiledResponse {
  const statusCode = Number(response.statusCode);
  if (!Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599)
    throw new DeploymentError(
      `${where}: integration response status ${response.statusCode} is not an HTTP status code`,
    );
  let matches: CompiledResponse['matches'];
  if (response.selectionPattern) {
    try {
      matches = compileFullMatch(response.selectionPattern);
    } catch (error) {
      if (!(error instanceof UnsupportedRegexError)) throw error;
      throw new DeploymentError(
        `${where}: integration response ${response.statusCode} has an invalid selectionPattern ${error.message}`,
      );
    }
  }
  const headers: [string, ResponseSource][] = [];
  for (const [target, expression] of Object.entries(response.responseParameters ?? {})) {
    const m = /^method\.response\.header\.(.+)$/.exec(target);
    if (!m)
      throw new DeploymentError(
        `${where}: integration response ${response.statusCode}: invalid mapping expression ${target}`,
      );
    headers.push([m[1]!, responseSource(expression, where)]);
  }
  const templates = new Map<string, CompiledTemplate>();
  for (const [contentType, text] of Object.entries(response.responseTemplates ?? {}))
    templates.set(contentType, compileTemplate(text));
  return { matches, statusCode, headers, templates, contentHandling: response.contentHandling };
}

/**
 * `integration.response.header.X`, `integration.response.multivalueheader.X`,
 * `integration.response.body`, `integration.response.body.JSONPath`, or what a request mapping
 * reads (`'literal'`, `context.X`, `stageVariables.X`).
 */
function responseSource(expression: string, where: string): ResponseSource {
  const header = /^integration\.response\.(header|multivalueheader)\.(.+)$/.exec(expression);
  if (header) {
    const [, kind, name] = header as unknown as [string, string, string];
    const lower = name.toLowerCase();
    return (_x, backend) => {
      const values = backend.headers?.get(lower);
      if (!values?.length) return undefined;
      return kind === 'header' ? values.at(-1) : values.join(',');
    };
  }
  if (expression === 'integration.response.body') return (_x, backend) => backend.body.toString();
  if (expression.startsWith('integration.response.body.')) {
    const path = `$.${expression.slice('integration.response.body.'.length)}`;
    return (_x, _backend, document) => {
      let value: unknown;
      try {
        const parsed = document();
        if (parsed === NOT_JSON) return undefined;
        value = evaluateJsonPath(parsed, path);
      } catch {
        return undefined;
      }
      if (value === undefined || value === null) return undefined;
      return typeof value === 'string' ? value : JSON.stringify(value);
    };
  }
  let source: ParameterSource;
  try {
    source = compileParameterSource(expression);
  } catch (error) {
    throw new DeploymentError(`${where}: ${(error as Error).message}`);
  }
  return (x) => source(x);
}

/** Stands for a payload that is not JSON, so a failed parse is not retried per mapping. */
const NOT_JSON = Symbol('not JSON');
const UNREAD = Symbol('not parsed yet');
/** The mappings' parse as a template's `$input` takes it: undefined when there is no value. */
const parsedJson = (parsed: unknown) =>
  parsed === NOT_JSON || parsed === UNREAD ? undefined : parsed;

function parseOrNotJson(body: Buffer | string): unknown {
  try {
    return JSON.parse(body.toString()) as unknown;
  } catch {
    return NOT_JSON;
  }
}

function render(
  selected: CompiledResponse,
  exchange: Exchange,
  backend: BackendAnswer,
): HttpAnswer {
  const [contentType, template] = pickTemplate(selected.templates, exchange);
  const headers: [string, string][] = [['Content-Type', contentType]];
  // Several `integration.response.body.X` mappings read one parse of the payload.
  let parsed: unknown = UNREAD;
  const document = () => (parsed === UNREAD ? (parsed = parseOrNotJson(backend.body)) : parsed);
  for (const [name, source] of selected.headers) {
    const value = source(exchange, backend, document);
    if (value === undefined) continue;
    if (name.toLowerCase() === 'content-type') headers[0] = [name, value];
    else headers.push([name, value]);
  }
  let body: Buffer | string = backend.body;
  if (template) {
    try {
      // A template reads a binary payload as base64 text, a text one from the header mappings'
      // parse when they made one.
      body =
        template.constant ??
        template.render(
          templateVariables(
            exchange,
            backend.body.toString(backend.binary ? 'base64' : 'utf8'),
            backend.binary ? undefined : parsedJson(parsed),
          ),
        );
    } catch (error) {
      if (!(error instanceof TemplateRenderError)) throw error;
      throw new ApiConfigurationError(`Unable to transform response: ${error.message}`);
    }
  }
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-payload-encodings-workflow.html
  const binary = backend.binary === true && !template;
  if (selected.contentHandling === 'CONVERT_TO_BINARY' && !binary)
    body = Buffer.from(body.toString(), 'base64');
  else if (selected.contentHandling === 'CONVERT_TO_TEXT' && binary) body = body.toString('base64');
  return { statusCode: selected.statusCode, headers, body };
}

/**
 * The response template for the client's Accept type when there is one, else application/json's,
 * else the first; the method response's Content-Type is that template's.
 */
function pickTemplate(
  templates: Map<string, CompiledTemplate>,
  exchange: Exchange,
): [string, CompiledTemplate | undefined] {
  if (templates.size === 0) return ['application/json', undefined];
  const accept = exchange.request.headersLower.get('accept')?.split(',')[0]?.split(';')[0]?.trim();
  if (accept) {
    const chosen = templates.get(accept);
    if (chosen) return [accept, chosen];
  }
  const json = templates.get('application/json');
  if (json) return ['application/json', json];
  const [first] = templates;
  return first!;
}
