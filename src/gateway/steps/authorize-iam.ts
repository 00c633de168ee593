// Step: AWS_IAM authorization. The request must be signed with Signature Version 4 for the
// service `execute-api` in the stage's region, with one of the gateway's access keys (the admin
// credentials: they stand for the account's root user here, as there are no IAM users). A
// verified caller is described in `requestContext.identity` as AWS describes root credentials.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/permissions.html
// https://repost.aws/knowledge-center/api-gateway-iam-sigv4-mismatch
import { SigV4Error } from '../../auth/sigv4/errors.js';
import { verifySigV4 } from '../../auth/sigv4/verify.js';
import { anyKeyMap } from '../any-key-map.js';
import type { Exchange } from '../compiled-api.js';
import { IamAuthenticationError } from '../errors.js';
import type { IamCaller } from '../request.js';

export interface AuthorizeIamDeps {
  /** Access key id → secret; empty when the gateway has no keys (every request refused). */
  secrets: ReadonlyMap<string, string>;
  now: () => number;
}

export type AuthorizeIamStep = (exchange: Exchange) => void;

const SERVICES = ['execute-api'] as const;

export function createAuthorizeIamStep(deps: AuthorizeIamDeps): AuthorizeIamStep {
  return (exchange) => {
    const { request, stage } = exchange;
    let accessKey: string;
    try {
      accessKey = verifySigV4(
        {
          method: request.httpMethod,
          url: request.target,
          headers: signedHeaderView(request.headers.multi),
          body: request.body,
        },
        {
          secrets: deps.secrets,
          services: SERVICES,
          region: stage.settings.region,
          now: deps.now(),
        },
      ).accessKeyId;
    } catch (error) {
      if (error instanceof SigV4Error) throw new IamAuthenticationError(error.code, error.message);
      throw error;
    }
    exchange.caller = rootCaller(accessKey, stage.settings.accountId);
  };
}

/**
 * Lower-cased name → every value in order, as the canonical request reads them (AWS joins a
 * repeated header's values with commas). Built only for AWS_IAM methods, on a map without a
 * prototype, so a signed header named `__proto__` or `constructor` is just a missing header.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html#create-canonical-request
 */
function signedHeaderView(multi: Record<string, string[]>): Record<string, string[]> {
  const view = anyKeyMap<string[]>();
  for (const name in multi) {
    const lower = name.toLowerCase();
    const values = multi[name]!;
    const seen = view[lower];
    view[lower] = seen === undefined ? values : seen.concat(values);
  }
  return view;
}

/** Root credentials: caller and user are the account id, userArn the account's root ARN. */
function rootCaller(accessKey: string, accountId: string): IamCaller {
  return {
    accessKey,
    accountId,
    caller: accountId,
    user: accountId,
    userArn: `arn:aws:iam::${accountId}:root`,
  };
}
