// An authorizer's fields as a zod schema, with the rules of authorizer-rules.ts as its refinement:
// the one validation of an authorizer that the admin API (CreateAuthorizer's body, an
// UpdateAuthorizer's result) parses with, in the same machinery the project file uses.
// https://docs.aws.amazon.com/apigateway/latest/api/API_CreateAuthorizer.html
import { z } from 'zod';
import {
  AUTHORIZER_TYPES,
  checkAuthorizer,
  DEFAULT_AUTHORIZER_TTL_SECONDS,
  InvalidAuthorizerError,
  type AuthorizerConfig,
} from './authorizer-rules.js';
import type { AuthorizerType } from './types.js';

/** Adds the rule an authorizer breaks as an issue at its member, with the rule's message. */
function applyRules(authorizer: AuthorizerConfig, ctx: z.RefinementCtx): void {
  try {
    checkAuthorizer(authorizer);
  } catch (error) {
    if (!(error instanceof InvalidAuthorizerError)) throw error;
    ctx.addIssue({ code: 'custom', path: [error.field], message: error.message });
  }
}

/** CreateAuthorizer's members (AWS's names and types); the TTL defaults to 300. */
export const authorizerInputSchema = z
  .object({
    name: z.string().min(1),
    type: z.enum(AUTHORIZER_TYPES as readonly [AuthorizerType, ...AuthorizerType[]]),
    authorizerUri: z.string().optional(),
    authorizerCredentials: z.string().optional(),
    identitySource: z.string().optional(),
    identityValidationExpression: z.string().optional(),
    authorizerResultTtlInSeconds: z.int().default(DEFAULT_AUTHORIZER_TTL_SECONDS),
    providerARNs: z.array(z.string()).optional(),
  })
  .superRefine(applyRules);

export type AuthorizerInput = z.output<typeof authorizerInputSchema>;
