// The integration request's body: the request template chosen by the method request's
// Content-Type (application/json when there is none), or the payload passed through as the
// passthrough behaviour allows, or AWS's 415.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/integration-passthrough-behaviors.html
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-payload-encodings-workflow.html
import type { Integration } from '../../model/types.js';
import type { Exchange } from '../compiled-api.js';
import { ApiConfigurationError, UnsupportedMediaTypeError } from '../errors.js';
import { isBinary } from '../events/proxy-event.js';
import { templateVariables } from './template-variables.js';
import { compileTemplate, TemplateRenderError, type CompiledTemplate } from './vtl.js';

/** What the backend is sent: a rendered template (text) or the payload passed through. */
export type RequestBody = string | Buffer;

export type RequestBodyMapping = (exchange: Exchange) => RequestBody;

export function compileRequestBody(integration: Integration): RequestBodyMapping {
  const templates = new Map<string, CompiledTemplate>();
  for (const [contentType, text] of Object.entries(integration.requestTemplates ?? {}))
    templates.set(contentType.toLowerCase(), compileTemplate(text));
  const behavior = integration.passthroughBehavior ?? 'WHEN_NO_MATCH';
  // WHEN_NO_MATCH passes any unmatched type; WHEN_NO_TEMPLATES only when there are none at all.
  const passUnmatched =
    behavior === 'WHEN_NO_MATCH' || (behavior === 'WHEN_NO_TEMPLATES' && templates.size === 0);
  const contentHandling = integration.contentHandling;

  return (exchange) => {
    const { request, stage } = exchange;
    const binary = isBinary(request, stage.binaryMediaTypes);
    const contentType = mediaType(request.headersLower.get('content-type'));
    const template = templates.get(contentType);
    if (!template) {
      if (!passUnmatched) throw new UnsupportedMediaTypeError();
      return passthrough(request.body, binary, contentHandling);
    }
    try {
      // A binary payload reaches a template base64-encoded (CONVERT_TO_TEXT's rule); a text one
      // that body validation parsed is read from that parse.
      const rendered =
        template.constant ??
        template.render(
          templateVariables(
            exchange,
            request.body.toString(binary ? 'base64' : 'utf8'),
            binary ? undefined : exchange.requestJson,
          ),
        );
      return contentHandling === 'CONVERT_TO_BINARY' ? Buffer.from(rendered, 'base64') : rendered;
    } catch (error) {
      if (!(error instanceof TemplateRenderError)) throw error;
      throw new ApiConfigurationError(`Unable to transform request: ${error.message}`);
    }
  };
}

let lastHeader: string | undefined;
let lastType = 'application/json';

/** The Content-Type's media type, lower-cased; API Gateway's default is application/json. */
export function mediaType(header: string | undefined): string {
  // Clients send the same few values over and over: the last one is kept.
  if (header === lastHeader) return lastType;
  const type = header?.split(';')[0]?.trim().toLowerCase();
  lastHeader = header;
  return (lastType = type ? type : 'application/json');
}

function passthrough(
  body: Buffer,
  binary: boolean,
  contentHandling: Integration['contentHandling'],
): RequestBody {
  if (contentHandling === 'CONVERT_TO_TEXT' && binary) return body.toString('base64');
  if (contentHandling === 'CONVERT_TO_BINARY' && !binary)
    return Buffer.from(body.toString(), 'base64');
  return body;
}
