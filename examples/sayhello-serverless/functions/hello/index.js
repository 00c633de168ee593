// The walkthrough's target function, answering through the Lambda proxy integration.
exports.handler = async (event) => {
  const who = event.requestContext.authorizer?.principalId ?? 'anonymous';
  return {
    statusCode: 200,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ message: `${process.env.GREETING} from Lambda!`, principalId: who }),
  };
};
