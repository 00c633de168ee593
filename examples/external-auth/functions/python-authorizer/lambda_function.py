"""A TOKEN Lambda authorizer that asks the external authentication system whether a token is
active, by OAuth 2.0 token introspection (RFC 7662), so it also accepts opaque tokens. Standard
library only. Scopes decide which methods the returned policy allows; the policy covers the whole
stage so API Gateway can cache it.

https://datatracker.ietf.org/doc/html/rfc7662
https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-use-lambda-authorizer.html
"""

import base64
import json
import os
import re
import urllib.error
import urllib.parse
import urllib.request

INTROSPECTION_URL = os.environ["INTROSPECTION_URL"]
CLIENT_ID = os.environ.get("INTROSPECTION_CLIENT_ID", "gateway")
CLIENT_SECRET = os.environ.get("INTROSPECTION_CLIENT_SECRET", "gateway-secret")

SCOPE_METHODS = {
    "reports/read": ["GET"],
}

BEARER = re.compile(r"^Bearer (\S+)$", re.IGNORECASE)


def introspect(token):
    """POSTs the token, authenticated as the gateway client (RFC 7662 section 2.1)."""
    credentials = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
    request = urllib.request.Request(
        INTROSPECTION_URL,
        data=urllib.parse.urlencode({"token": token, "token_type_hint": "access_token"}).encode(),
        headers={
            "Authorization": f"Basic {credentials}",
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/json",
        },
        method="POST",
    )
    # A failure to reach the introspection endpoint is not the caller's fault: let it raise, so
    # API Gateway answers 500 (AuthorizerConfigurationException), not 401.
    with urllib.request.urlopen(request, timeout=2) as response:
        return json.load(response)


def lambda_handler(event, context):
    match = BEARER.match(event.get("authorizationToken") or "")
    if not match:
        # Raising exactly 'Unauthorized' makes API Gateway answer 401.
        raise Exception("Unauthorized")
    info = introspect(match.group(1))
    if not info.get("active"):
        print("token refused: inactive")
        raise Exception("Unauthorized")

    scopes = str(info.get("scope") or "").split()
    methods = sorted({m for s in scopes for m in SCOPE_METHODS.get(s, [])})
    # arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}/{path}
    stage_arn = "/".join(event["methodArn"].split("/")[:2])
    if methods:
        statement = {
            "Action": "execute-api:Invoke",
            "Effect": "Allow",
            "Resource": [f"{stage_arn}/{m}/*" for m in methods],
        }
    else:
        statement = {"Action": "execute-api:Invoke", "Effect": "Deny", "Resource": f"{stage_arn}/*"}
    return {
        "principalId": str(info.get("sub", "")),
        "policyDocument": {"Version": "2012-10-17", "Statement": [statement]},
        "context": {
            "username": str(info.get("username", "")),
            "scope": " ".join(scopes),
            "clientId": str(info.get("client_id", "")),
            "introspected": True,
        },
    }
