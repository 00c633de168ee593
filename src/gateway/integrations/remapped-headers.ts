// Response headers API Gateway keeps for itself: when a proxy integration (Lambda or HTTP)
// answers with one of them, the client gets it renamed `x-amzn-Remapped-<name>`, and the
// gateway's own value (its Date, Content-Length, request id, connection) goes out under the real
// name. Real answers recorded against AWS show `x-amzn-remapped-connection`,
// `x-amzn-remapped-content-length`, `x-amzn-remapped-date`, `x-amzn-remapped-x-amzn-requestid`
// (localstack/localstack tests/aws/services/apigateway/test_apigateway_http.snapshot.json,
// test_http_integration_with_lambda[HTTP_PROXY]); the list is AWS's:
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-known-issues.html#api-gateway-known-issues-rest-apis
const REMAPPED = new Set([
  'authorization',
  'connection',
  'content-length',
  'date',
  'server',
  'www-authenticate',
  'x-amzn-requestid',
]);

/** The name a proxy integration's response header reaches the client under. */
export function clientHeaderName(name: string): string {
  return REMAPPED.has(name.toLowerCase()) ? `x-amzn-Remapped-${name}` : name;
}
