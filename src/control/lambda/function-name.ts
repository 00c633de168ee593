// Lambda accepts a function as a name, a partial ARN (`123456789012:function:name`) or a full
// ARN, each optionally with a `:qualifier`. Sallyport keeps one version, `$LATEST`.
// https://docs.aws.amazon.com/lambda/latest/api/API_GetFunction.html#API_GetFunction_RequestSyntax
import { lambdaFunctionArn } from '../../model/arn.js';
import type { Settings } from '../../model/types.js';
import { functionNotFound, validation } from './errors.js';

const REF =
  /^(?:arn:aws[a-zA-Z-]*:lambda:([a-z]{2}(?:-gov)?-[a-z]+-\d):)?(?:(\d{12}):function:)?([a-zA-Z0-9_-]{1,64})(?::(\$LATEST|[a-zA-Z0-9_-]+))?$/;

/** The function's name, or a 404 for another account/region or a qualifier other than $LATEST. */
export function resolveFunctionName(
  ref: string,
  settings: Settings,
  qualifier?: string | null,
): string {
  const m = REF.exec(ref);
  if (!m)
    throw validation(
      `1 validation error detected: Value '${ref}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?`,
    );
  const [region, account, name, inline] = [m[1], m[2], m[3]!, m[4]];
  const version = inline ?? (qualifier === null || qualifier === '' ? undefined : qualifier);
  const arn = lambdaFunctionArn(settings, name);
  if (
    (region !== undefined && region !== settings.region) ||
    (account !== undefined && account !== settings.accountId)
  )
    throw functionNotFound(ref);
  if (version !== undefined && version !== '$LATEST') throw functionNotFound(`${arn}:${version}`);
  return name;
}
