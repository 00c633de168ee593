# The Lambda console's Python blueprint, as the benchmark's proxy function: a statusCode and a small
# JSON body.
import json

BODY = json.dumps({"message": "Hello from Lambda!"})


def lambda_handler(event, context):
    return {
        "statusCode": 200,
        "headers": {"Content-Type": "application/json"},
        "body": BODY,
    }
