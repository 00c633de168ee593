// The variables a mapping template sees for one request: `$context` (the proxy event's request
// context, authorizer principal and context included), `$stageVariables` and `$input` over a
// payload — the request's in a request template, the integration's answer in a response one.
// `$input.params()` always reads the method request.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html#input-variable-reference
//
// Classes, not object literals: a literal with a getter is built by V8's slow path (about a
// microsecond per request on this machine), a class instance is not.
import { anyKeyMap, ownValue } from '../any-key-map.js';
import type { Exchange } from '../compiled-api.js';
import { requestContext } from '../events/proxy-event.js';
import type { TemplateInput, TemplateVariables } from './vtl.js';

class ExchangeVariables implements TemplateVariables {
  readonly stageVariables: Record<string, string>;
  readonly input: TemplateInput;
  readonly #exchange: Exchange;
  #context: Record<string, unknown> | undefined;

  constructor(exchange: Exchange, payload: string, json: unknown) {
    this.#exchange = exchange;
    this.stageVariables = exchange.stage.variables;
    this.input = new MethodRequestInput(exchange, payload, json);
  }

  /** Built when a template first reads `$context` (many read only `$input`), then kept. */
  get context(): Record<string, unknown> {
    const { request, stage, method, authorizer, caller, apiKey } = this.#exchange;
    return (this.#context ??= requestContext(
      request,
      stage,
      method,
      authorizer,
      caller,
      apiKey,
    ) as unknown as Record<string, unknown>);
  }
}

class MethodRequestInput implements TemplateInput {
  readonly #exchange: Exchange;
  constructor(
    exchange: Exchange,
    readonly body: string,
    readonly json: unknown,
  ) {
    this.#exchange = exchange;
  }

  params(name?: string): unknown {
    const { request, pathParameters } = this.#exchange;
    const all = {
      path: pathParameters ?? anyKeyMap<string>(),
      querystring: request.query.single,
      header: request.headers.single,
    };
    if (name === undefined) return all;
    // "from the path, query string, or header value (searched in that order)"
    return (
      ownValue(all.path, name) ??
      ownValue(all.querystring, name) ??
      request.headersLower.get(String(name).toLowerCase()) ??
      ''
    );
  }
}

/**
 * `json`: the payload already parsed (a validated request body, a response's body read by its
 * header mappings), so `$input.json`/`$input.path` do not parse it again; undefined when not.
 */
export function templateVariables(
  exchange: Exchange,
  payload: string,
  json?: unknown,
): TemplateVariables {
  return new ExchangeVariables(exchange, payload, json);
}
