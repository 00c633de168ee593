# The function the Lambda console creates for a new Python function: it answers a document with a
# statusCode and a JSON-encoded body. Behind a non-proxy (AWS) integration, API Gateway does not
# read that document: the client receives all of it as the response body.
# https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-custom-integrations.html
import json


def lambda_handler(event, context):
    return {
        "statusCode": 200,
        "body": json.dumps("Hello from Lambda!"),
    }
