// Allows token `allow` on every method of the stage, as the walkthrough's authorizer does.
exports.handler = async (event) => {
  if (event.authorizationToken !== 'allow') throw new Error('Unauthorized');
  const [head, rest] = event.methodArn.split(/:(?=[a-z0-9]{10}\/)/);
  const [apiId, stage] = rest.split('/');
  return {
    principalId: 'bench-user',
    policyDocument: {
      Version: '2012-10-17',
      Statement: [
        {
          Action: 'execute-api:Invoke',
          Effect: 'Allow',
          Resource: `${head}:${apiId}/${stage}/*/*`,
        },
      ],
    },
    context: { tier: 'gold' },
  };
};
