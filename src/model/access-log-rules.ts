// What a stage's access log format must be, and the four formats the API Gateway console offers
// (CLF, JSON, XML, CSV), which sallyport.yaml accepts by name. One rule for UpdateStage and the
// project file; observability/access-log-format.ts renders the lines.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-access-logging.html

/** The presets the API Gateway console offers, as the current developer guide lists them. */
export const ACCESS_LOG_PRESETS = {
  CLF:
    '$context.identity.sourceIp $context.identity.caller $context.identity.user [$context.requestTime]' +
    '"$context.httpMethod $context.resourcePath $context.protocol" $context.status $context.responseLength' +
    ' $context.requestId $context.extendedRequestId',
  JSON:
    '{ "requestId":"$context.requestId", "extendedRequestId":"$context.extendedRequestId","ip": "$context.identity.sourceIp",' +
    ' "caller":"$context.identity.caller", "user":"$context.identity.user", "requestTime":"$context.requestTime",' +
    ' "httpMethod":"$context.httpMethod", "resourcePath":"$context.resourcePath", "status":"$context.status",' +
    ' "protocol":"$context.protocol", "responseLength":"$context.responseLength" }',
  XML:
    '<request id="$context.requestId"> <extendedRequestId>$context.extendedRequestId</extendedRequestId>' +
    ' <ip>$context.identity.sourceIp</ip> <caller>$context.identity.caller</caller>' +
    ' <user>$context.identity.user</user> <requestTime>$context.requestTime</requestTime>' +
    ' <httpMethod>$context.httpMethod</httpMethod> <resourcePath>$context.resourcePath</resourcePath>' +
    ' <status>$context.status</status> <protocol>$context.protocol</protocol>' +
    ' <responseLength>$context.responseLength</responseLength> </request>',
  CSV:
    '$context.identity.sourceIp,$context.identity.caller,$context.identity.user,$context.requestTime,' +
    '$context.httpMethod,$context.resourcePath,$context.protocol,$context.status,$context.responseLength,' +
    '$context.requestId,$context.extendedRequestId',
} as const;

export type AccessLogPreset = keyof typeof ACCESS_LOG_PRESETS;

/**
 * The format's check, as UpdateStage applies it: a line must be traceable to its request.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-access-logging.html
 */
export function accessLogFormatProblem(format: string): string | undefined {
  if (!/\$context\.(requestId|extendedRequestId)\b/.test(format))
    return 'Access Log format must contain at least one of $context.requestId or $context.extendedRequestId';
  if (/[\r\n]/.test(format)) return 'Access Log format must be one line';
  return undefined;
}
