// A REQUEST authorizer: allows when the `x-tenant` header and `key` query parameter are present.
exports.handler = async (event) => {
  const key = event.queryStringParameters && event.queryStringParameters.key;
  if (key !== 'k1') throw new Error('Unauthorized');
  return {
    principalId: 'tenant-' + event.headers['x-tenant'],
    policyDocument: {
      Version: '2012-10-17',
      Statement: [
        {
          Action: 'execute-api:Invoke',
          Effect: 'Allow',
          Resource: event.methodArn.replace(/\/GET\/.*$/, '/*/*'),
        },
      ],
    },
  };
};
