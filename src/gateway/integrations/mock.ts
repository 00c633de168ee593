// MOCK: API Gateway answers by itself. The request template yields `{"statusCode": N}`, which
// selects an integration response (selectionPattern matched against N); its template and
// response parameters make the answer. Same request and response mapping as AWS and HTTP.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-mock-integration.html
import type { Integration } from '../../model/types.js';
import type { Exchange, HttpAnswer, IntegrationHandler } from '../compiled-api.js';
import { ApiConfigurationError } from '../errors.js';
import { compileIntegrationResponses } from '../mapping/integration-responses.js';
import { compileRequestBody } from '../mapping/request-body.js';

const NO_PAYLOAD = { body: '' };

export function mockIntegration(integration: Integration, where = 'MOCK'): IntegrationHandler {
  const requestBody = compileRequestBody(integration);
  const responses = compileIntegrationResponses(integration, where);
  const hasTemplates = Object.keys(integration.requestTemplates ?? {}).length > 0;
  // Most MOCK templates are constant: the same text each time, parsed once.
  let lastBody: string | undefined;
  let lastStatus = 200;
  // eslint-disable-next-line @typescript-eslint/require-await -- a throw must become a rejection
  return async (exchange: Exchange): Promise<HttpAnswer> => {
    const body = requestBody(exchange);
    // Without a template the payload passed through is ignored: a MOCK answers 200.
    let statusCode = 200;
    if (hasTemplates && typeof body === 'string') {
      if (body !== lastBody) {
        lastStatus = statusOf(body);
        lastBody = body;
      }
      statusCode = lastStatus;
    }
    return responses.answer(exchange, String(statusCode), NO_PAYLOAD);
  };
}

/** The `statusCode` a MOCK request template renders (200 when it names none). */
function statusOf(rendered: string): number {
  let parsed: unknown;
  try {
    parsed = JSON.parse(rendered);
  } catch {
    throw new ApiConfigurationError('MOCK request template did not produce JSON');
  }
  const statusCode = (parsed as { statusCode?: unknown } | null)?.statusCode;
  return statusCode === undefined ? 200 : Number(statusCode);
}
