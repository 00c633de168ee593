// The two models API Gateway gives every REST API: `Empty` (what the console and CDK's EmptyModel
// put in requestModels and methodResponses) and `Error`. CreateRestApi stores them; a deployment
// whose API does not define them (an imported one) still resolves those names, so definitions
// written against AWS deploy here. The schema texts are AWS's, byte for byte, as GetModels
// returns them (recorded in exports of real APIs, e.g. terraformer's aws_api_gateway_model).
// https://docs.aws.amazon.com/apigateway/latest/developerguide/models-mappings-models.html
import { awsId } from '../../model/ids.js';
import type { Model } from '../../model/types.js';

export const BUILT_IN_MODELS: readonly Model[] = [
  {
    id: 'empty',
    name: 'Empty',
    description: 'This is a default empty schema model',
    contentType: 'application/json',
    schema:
      '{\n  "$schema": "http://json-schema.org/draft-04/schema#",\n  "title" : "Empty Schema",\n  "type" : "object"\n}',
  },
  {
    id: 'error',
    name: 'Error',
    description: 'This is a default error schema model',
    contentType: 'application/json',
    schema:
      '{\n  "$schema" : "http://json-schema.org/draft-04/schema#",\n  "title" : "Error Schema",\n  "type" : "object",\n  "properties" : {\n    "message" : { "type" : "string" }\n  }\n}',
  },
];

/** The built-in models as CreateRestApi stores them: each with an id of its own (6 characters). */
export function newBuiltInModels(): Model[] {
  return BUILT_IN_MODELS.map((model) => ({ ...model, id: awsId(6) }));
}

/** The API's own models, and the built-in ones `used` names that the API does not define. */
export function withBuiltInModels(models: readonly Model[], used: ReadonlySet<string>): Model[] {
  const names = new Set(models.map((m) => m.name));
  return [...models, ...BUILT_IN_MODELS.filter((m) => used.has(m.name) && !names.has(m.name))];
}
