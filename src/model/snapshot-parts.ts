// A snapshot carries models and request validators only when the API has some, so an API without
// them has the same snapshot (and canonical JSON) as before they existed: an unchanged project
// still reuses its deployment.
import type { ApiSnapshot, Model, RequestValidator } from './types.js';

export function validationParts(
  models: Model[],
  requestValidators: RequestValidator[],
): Pick<ApiSnapshot, 'models' | 'requestValidators'> {
  return {
    ...(models.length > 0 ? { models } : {}),
    ...(requestValidators.length > 0 ? { requestValidators } : {}),
  };
}
