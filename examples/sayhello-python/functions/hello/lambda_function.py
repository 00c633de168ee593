# The walkthrough's target function: a Lambda proxy integration answer.
# https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-output-format
import json
import os


def lambda_handler(event, context):
    authorizer = event["requestContext"].get("authorizer") or {}
    body = {
        "message": "%s from Lambda!" % os.environ.get("GREETING", "Hello"),
        "principalId": authorizer.get("principalId"),
    }
    return {
        "statusCode": 200,
        "headers": {"Content-Type": "application/json"},
        "body": json.dumps(body, separators=(",", ":")),
    }
