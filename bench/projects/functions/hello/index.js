const body = JSON.stringify({ message: 'Hello from Lambda!' });
exports.handler = async () => ({
  statusCode: 200,
  headers: { 'Content-Type': 'application/json' },
  body,
});
