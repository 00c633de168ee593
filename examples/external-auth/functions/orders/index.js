// The API's backend: answers which route was called and what the authorizer said about the
// caller — `claims` from the built-in authorizer, `principalId` and `context` from a Lambda one.
exports.handler = async (event) => {
  const authorizer = event.requestContext.authorizer ?? {};
  return {
    statusCode: 200,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      route: `${event.httpMethod} ${event.resource}`,
      authorizer,
    }),
  };
};
