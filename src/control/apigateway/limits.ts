// The limits on what API Gateway's operations store, in one table: AWS's documented quotas where
// it has them, and a cap of Sallyport's own on free text AWS bounds without documenting how, so
// no single field can bloat the store. Every string a create or update operation takes is checked
// against it (fields.ts, patch-operations.ts); refusals are BadRequestException, worded as the
// Smithy validation errors AWS answers.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-execution-service-limits-table.html
import { BadRequestError, ValidationError } from '../errors.js';

/** Longest value, in characters, of each string member; members not listed use DEFAULT. */
export const MAX_LENGTH: Readonly<Record<string, number>> = {
  name: 1024,
  description: 1024,
  stageName: 128,
  pathPart: 1024,
  identitySource: 1024,
  identityValidationExpression: 1024,
  authorizerUri: 2048,
  uri: 2048,
};
const DEFAULT_MAX_LENGTH = 8192;

/** AWS quotas: "Stage variables per stage", and the lengths of their keys and values. */
export const STAGE_VARIABLES = { count: 100, keyLength: 64, valueLength: 512 } as const;

export function maxLengthOf(member: string): number {
  return MAX_LENGTH[member] ?? DEFAULT_MAX_LENGTH;
}

/** Throws AWS's constraint error when `value` is longer than `member` may be. */
export function checkLength(member: string, value: string, where: string = member): void {
  const max = maxLengthOf(member);
  if (value.length > max)
    throw new ValidationError(
      `1 validation error detected: Value at '${where}' failed to satisfy constraint: Member must have length less than or equal to ${max}`,
    );
}

export function checkStageVariable(name: string, value: string): void {
  if (name.length > STAGE_VARIABLES.keyLength)
    throw new BadRequestError(
      `Stage variable name ${name} is longer than ${STAGE_VARIABLES.keyLength} characters`,
    );
  if (value.length > STAGE_VARIABLES.valueLength)
    throw new BadRequestError(
      `Stage variable value for ${name} is longer than ${STAGE_VARIABLES.valueLength} characters`,
    );
}

export function checkStageVariableCount(variables: Record<string, string>): void {
  if (Object.keys(variables).length > STAGE_VARIABLES.count)
    throw new BadRequestError(`A stage can have at most ${STAGE_VARIABLES.count} stage variables`);
}
