// MOCK: API Gateway answers by itself. The request template yields `{"statusCode": N}`, which
// selects an integration response (selectionPattern matched against N); its template and
// response parameters make the answer.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-mock-integration.html
import type { Integration } from '../../model/types.js';
import type { Exchange, HttpAnswer, IntegrationHandler } from '../compiled-api.js';
import { ApiConfigurationError } from '../errors.js';
import { compileParameterSource, type ParameterSource } from '../mapping/parameters.js';
import { compileTemplate, type CompiledTemplate, type TemplateVariables } from '../mapping/vtl.js';
import { requestContext } from '../events/proxy-event.js';
import { anyKeyMap, ownValue } from '../any-key-map.js';

interface CompiledResponse {
  pattern: RegExp | undefined;
  statusCode: number;
  headers: [string, ParameterSource][];
  template: CompiledTemplate | undefined;
}

export function mockIntegration(integration: Integration): IntegrationHandler {
  const requestTemplate = pickTemplate(integration.requestTemplates);
  const responses: CompiledResponse[] = [];
  let fallback: CompiledResponse | undefined;
  for (const response of Object.values(integration.integrationResponses ?? {})) {
    const compiled: CompiledResponse = {
      pattern: response.selectionPattern
        ? new RegExp(`^(?:${response.selectionPattern})$`)
        : undefined,
      statusCode: Number(response.statusCode),
      headers: Object.entries(response.responseParameters ?? {}).flatMap(([key, expression]) => {
        const m = /^method\.response\.header\.(.+)$/.exec(key);
        return m ? [[m[1]!, compileParameterSource(expression)] as [string, ParameterSource]] : [];
      }),
      template: pickTemplate(response.responseTemplates),
    };
    if (compiled.pattern) responses.push(compiled);
    else fallback = compiled;
  }

  // A constant request template selects the same integration response on every request.
  const fixedStatus =
    requestTemplate === undefined
      ? 200
      : requestTemplate.constant === undefined
        ? undefined
        : statusFromTemplate(requestTemplate.constant);
  const select = (statusCode: number) =>
    responses.find((r) => r.pattern!.test(String(statusCode))) ?? fallback;
  const fixedResponse = fixedStatus === undefined ? undefined : select(fixedStatus);

  return (exchange: Exchange): Promise<HttpAnswer> => {
    // The template variables (the whole $context) are built only if a template uses them.
    let built: TemplateVariables | undefined;
    const variables = () => (built ??= templateVariables(exchange));
    let statusCode = fixedStatus ?? 200;
    if (requestTemplate && fixedStatus === undefined) {
      const rendered = requestTemplate.render(variables());
      try {
        const parsed = JSON.parse(rendered) as { statusCode?: unknown };
        if (parsed && typeof parsed === 'object' && parsed.statusCode !== undefined)
          statusCode = Number(parsed.statusCode);
      } catch {
        return Promise.reject(
          new ApiConfigurationError('MOCK request template did not produce JSON'),
        );
      }
    }
    const selected = fixedResponse ?? select(statusCode);
    if (!selected)
      return Promise.reject(
        new ApiConfigurationError(`No integration response for status ${statusCode}`),
      );
    const headers: [string, string][] = [['Content-Type', 'application/json']];
    for (const [name, source] of selected.headers) {
      const value = source(exchange);
      if (value !== undefined) headers.push([name, value]);
    }
    const template = selected.template;
    const body = template ? (template.constant ?? template.render(variables())) : '';
    return Promise.resolve({ statusCode: selected.statusCode, headers, body });
  };
}

/** The status a constant request template selects; undefined when it is not such JSON. */
function statusFromTemplate(text: string): number | undefined {
  try {
    const parsed = JSON.parse(text) as { statusCode?: unknown };
    if (parsed && typeof parsed === 'object' && parsed.statusCode !== undefined)
      return Number(parsed.statusCode);
    return 200;
  } catch {
    // Rendered per request, where it is refused as AWS refuses it.
    return undefined;
  }
}

function pickTemplate(templates: Record<string, string> | undefined): CompiledTemplate | undefined {
  if (!templates) return undefined;
  const text = templates['application/json'] ?? Object.values(templates)[0];
  return text === undefined ? undefined : compileTemplate(text);
}

function templateVariables(exchange: Exchange): TemplateVariables {
  const { request, stage, method, pathParameters, authorizer, caller, apiKey } = exchange;
  return {
    context: requestContext(
      request,
      stage,
      method,
      authorizer,
      caller,
      apiKey,
    ) as unknown as Record<string, unknown>,
    stageVariables: stage.variables,
    input: {
      body: request.body.toString(),
      params: (name?: string) => {
        const all = {
          path: pathParameters ?? anyKeyMap<string>(),
          querystring: request.query.single,
          header: request.headers.single,
        };
        if (name === undefined) return all;
        return (
          ownValue(all.path, name) ??
          ownValue(all.querystring, name) ??
          request.headersLower.get(name.toLowerCase()) ??
          ''
        );
      },
    },
  };
}
