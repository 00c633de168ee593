// Velocity (VTL) mapping templates, parsed once per deployment and rendered per request.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html
import { Compile, parse } from 'velocityjs';

export interface TemplateVariables {
  context?: Record<string, unknown>;
  stageVariables?: Record<string, string>;
  input?: TemplateInput;
}

/** `$input` as AWS defines it, over the raw request body and parameters. */
export interface TemplateInput {
  body: string;
  params: (name?: string) => unknown;
}

export interface CompiledTemplate {
  render(variables: TemplateVariables): string;
  /** Set when the template has no VTL in it (no `$`, no `#`): it always renders to this. */
  readonly constant?: string;
}

/** `$util`: https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html#util-template-reference */
const util = {
  escapeJavaScript: (s: unknown) => JSON.stringify(String(s)).slice(1, -1).replace(/'/g, "\\'"),
  parseJson: (s: unknown): unknown => JSON.parse(String(s)),
  urlEncode: (s: unknown) => encodeURIComponent(String(s)),
  urlDecode: (s: unknown) => decodeURIComponent(String(s)),
  base64Encode: (s: unknown) => Buffer.from(String(s)).toString('base64'),
  base64Decode: (s: unknown) => Buffer.from(String(s), 'base64').toString(),
};

export function compileTemplate(text: string): CompiledTemplate {
  // Most templates of MOCK integrations are fixed JSON: no variables to build per request.
  if (!text.includes('$') && !text.includes('#')) return { render: () => text, constant: text };
  const compiled = new Compile(parse(text), { escape: false });
  return {
    render(variables: TemplateVariables): string {
      const input = variables.input;
      return compiled.render({
        context: variables.context ?? {},
        stageVariables: variables.stageVariables ?? {},
        util,
        input: input && {
          body: input.body,
          json: (path: string) =>
            path === '$' ? input.body || '{}' : JSON.stringify(jsonPath(input.body, path)),
          path: (path: string) => jsonPath(input.body, path),
          params: input.params,
        },
      });
    },
  };
}

/** The subset of JSONPath templates use most: `$`, `$.a.b`, `$['a']`, `$.a[0]`. */
function jsonPath(body: string, path: string): unknown {
  let value: unknown;
  try {
    value = body ? JSON.parse(body) : {};
  } catch {
    return undefined;
  }
  const parts = path.replace(/^\$/, '').match(/[^.[\]'"]+/g) ?? [];
  for (const part of parts) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}
