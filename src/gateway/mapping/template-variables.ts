// The variables a mapping template sees for one request: `$context` (the proxy event's request
// context, authorizer principal and context included), `$stageVariables` and `$input` over a
// payload — the request's in a request template, the integration's answer in a response one.
// `$input.params()` always reads the method request.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html#input-variable-reference
import { anyKeyMap, ownValue } from '../any-key-map.js';
import type { Exchange } from '../compiled-api.js';
import { requestContext } from '../events/proxy-event.js';
import type { TemplateVariables } from './vtl.js';

export function templateVariables(exchange: Exchange, payload: string): TemplateVariables {
  const { request, stage, method, pathParameters, authorizer, caller, apiKey } = exchange;
  let context: Record<string, unknown> | undefined;
  return {
    // Built when a template first reads `$context` (many read only `$input`), then kept.
    get context() {
      return (context ??= requestContext(
        request,
        stage,
        method,
        authorizer,
        caller,
        apiKey,
      ) as unknown as Record<string, unknown>);
    },
    stageVariables: stage.variables,
    input: {
      body: payload,
      params: (name?: string) => {
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
      },
    },
  };
}

/** Builds the variables once, and only if a template asks for them. */
export function lazyVariables(exchange: Exchange, payload: () => string): () => TemplateVariables {
  let built: TemplateVariables | undefined;
  return () => (built ??= templateVariables(exchange, payload()));
}
