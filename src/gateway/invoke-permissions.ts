// Whether API Gateway may invoke a function: on AWS, the function's resource-based policy must
// allow `apigateway.amazonaws.com` to call lambda:InvokeFunction for the calling method's (or
// authorizer's) source ARN. The data plane asks through this interface; the composition root
// answers from the policies the control plane keeps.
// https://repost.aws/knowledge-center/api-gateway-rest-api-lambda-integrations
import type { Settings } from '../model/types.js';

export interface InvokePermissions {
  /** False for functions invoked without a policy check (those from sallyport.yaml). */
  enforced(functionName: string): boolean;
  /** Whether the policy allows API Gateway to invoke the function for any of these ARNs. */
  allows(functionName: string, sourceArns: readonly string[]): boolean;
}

export const NOT_ENFORCED: InvokePermissions = {
  enforced: () => false,
  allows: () => true,
};

/** `arn:aws:execute-api:{region}:{account}:{apiId}/authorizers/{authorizerId}` */
export function authorizerSourceArn(settings: Settings, apiId: string, authorizerId: string) {
  return `arn:aws:execute-api:${settings.region}:${settings.accountId}:${apiId}/authorizers/${authorizerId}`;
}
