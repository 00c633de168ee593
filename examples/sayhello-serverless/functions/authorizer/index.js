// A TOKEN authorizer in the style of AWS's API Gateway authorizer blueprint: it builds an IAM
// policy for the caller. The walkthrough's rule: the token `allow` may call every method,
// `unauthorized` is turned away with 401, anything else is denied every method.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-use-lambda-authorizer.html

exports.handler = async (event) => {
  const token = event.authorizationToken;
  if (token === 'unauthorized') throw new Error('Unauthorized');

  const policy = new AuthPolicy('user|' + token, event.methodArn);
  if (token === 'allow') policy.allowAllMethods();
  else policy.denyAllMethods();
  return policy.build({ token });
};

/** Builds the policy document API Gateway expects from an authorizer. */
class AuthPolicy {
  constructor(principalId, methodArn) {
    // arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{method}/{path}
    const [, , , region, account, rest] = methodArn.split(':');
    const [apiId, stage] = rest.split('/');
    this.principalId = principalId;
    this.base = `arn:aws:execute-api:${region}:${account}:${apiId}/${stage}`;
    this.statements = [];
  }

  allowMethod(verb, resource) {
    this.statements.push(statement('Allow', `${this.base}/${verb}/${resource.replace(/^\//, '')}`));
  }

  denyMethod(verb, resource) {
    this.statements.push(statement('Deny', `${this.base}/${verb}/${resource.replace(/^\//, '')}`));
  }

  allowAllMethods() {
    this.allowMethod('*', '*');
  }

  denyAllMethods() {
    this.denyMethod('*', '*');
  }

  build(context) {
    return {
      principalId: this.principalId,
      policyDocument: { Version: '2012-10-17', Statement: this.statements },
      context,
    };
  }
}

function statement(effect, resource) {
  return { Action: 'execute-api:Invoke', Effect: effect, Resource: resource };
}
