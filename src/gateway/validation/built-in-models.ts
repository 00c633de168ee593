// The two models API Gateway gives every REST API: `Empty` (what the console and CDK's EmptyModel
// put in requestModels and methodResponses) and `Error`. A deployment whose API does not define
// them itself still resolves those names, so definitions written against AWS deploy here.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/models-mappings-models.html
import type { Model } from '../../model/types.js';

export const BUILT_IN_MODELS: readonly Model[] = [
  {
    id: 'empty',
    name: 'Empty',
    description: 'This is a default empty schema model',
    contentType: 'application/json',
    schema: JSON.stringify({
      $schema: 'http://json-schema.org/draft-04/schema#',
      title: 'Empty Schema',
      type: 'object',
    }),
  },
  {
    id: 'error',
    name: 'Error',
    description: 'This is a default error schema model',
    contentType: 'application/json',
    schema: JSON.stringify({
      $schema: 'http://json-schema.org/draft-04/schema#',
      title: 'Error Schema',
      type: 'object',
      properties: { message: { type: 'string' } },
    }),
  },
];

/** The API's own models, and the built-in ones `used` names that the API does not define. */
export function withBuiltInModels(models: readonly Model[], used: ReadonlySet<string>): Model[] {
  const names = new Set(models.map((m) => m.name));
  return [...models, ...BUILT_IN_MODELS.filter((m) => used.has(m.name) && !names.has(m.name))];
}
