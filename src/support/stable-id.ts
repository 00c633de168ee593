// Ids that stay the same across restarts with no storage: derived from what they name. They have
// AWS's shape (lowercase alphanumerics: 10 for APIs and root resources, 6 for resources and
// authorizers), so logs, ARNs and the admin API look exactly like AWS's.
import { createHash } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

export function stableId(seed: string, length: number): string {
  const digest = createHash('sha256').update(seed).digest();
  let id = '';
  for (let i = 0; i < length; i++) id += ALPHABET[digest[i]! % ALPHABET.length];
  return id;
}

/** The id a project API gets when `id` is not given in sallyport.yaml. */
export function restApiIdFor(apiName: string): string {
  return stableId(`restapi:${apiName}`, 10);
}
