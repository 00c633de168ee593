// requestContext.authorizer.claims as a COGNITO_USER_POOLS authorizer renders them, and the
// issuer a user pool ARN stands for.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-integrate-with-cognito.html
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { awsClaims, javaDateString } from '../../../../src/gateway/authorizers/jwt/claims.js';
import { cognitoIssuer, resolveJwtConfig } from '../../../../src/gateway/authorizers/jwt/config.js';

describe('awsClaims', () => {
  it('exp and iat as java.util.Date#toString in UTC, e.g. "Sun Dec 17 07:28:12 UTC 2017"', () => {
    assert.equal(
      javaDateString(Date.UTC(2017, 11, 17, 7, 28, 12) / 1000),
      'Sun Dec 17 07:28:12 UTC 2017',
    );
    assert.equal(
      javaDateString(Date.UTC(2026, 2, 5, 23, 4, 9) / 1000),
      'Thu Mar 05 23:04:09 UTC 2026',
    );
  });

  it('every value a string: numbers, booleans, lists as Java prints them', () => {
    assert.deepEqual(
      // A map without a prototype (any claim name is a plain key): compared by its entries.
      {
        ...awsClaims({
          sub: 's',
          exp: Date.UTC(2017, 11, 17, 7, 28, 12) / 1000,
          iat: Date.UTC(2017, 11, 17, 6, 28, 12) / 1000,
          auth_time: 1513492092,
          email_verified: true,
          'cognito:groups': ['admin', 'staff'],
          address: { city: 'Paris' },
        }),
      },
      {
        sub: 's',
        exp: 'Sun Dec 17 07:28:12 UTC 2017',
        iat: 'Sun Dec 17 06:28:12 UTC 2017',
        auth_time: '1513492092',
        email_verified: 'true',
        'cognito:groups': '[admin, staff]',
        address: '{city=Paris}',
      },
    );
  });
});

describe('issuers from providerARNs', () => {
  // https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-verifying-a-jwt.html
  it('a user pool ARN stands for https://cognito-idp.{region}.amazonaws.com/{poolId}', () => {
    assert.equal(
      cognitoIssuer('arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbC123'),
      'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123',
    );
    assert.throws(() => cognitoIssuer('arn:aws:s3:::bucket'), /not a Cognito user pool ARN/);
  });

  it('each pool is an issuer with its own JWKS; RS256 only, no audience check', () => {
    const resolved = resolveJwtConfig({
      id: 'a',
      name: 'pools',
      type: 'COGNITO_USER_POOLS',
      authorizerResultTtlInSeconds: 300,
      providerARNs: [
        'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_one',
        'arn:aws:cognito-idp:us-east-2:123456789012:userpool/us-east-2_two',
      ],
    });
    assert.deepEqual(resolved, {
      issuers: [
        {
          issuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_one',
          jwksUri:
            'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_one/.well-known/jwks.json',
        },
        {
          issuer: 'https://cognito-idp.us-east-2.amazonaws.com/us-east-2_two',
          jwksUri:
            'https://cognito-idp.us-east-2.amazonaws.com/us-east-2_two/.well-known/jwks.json',
        },
      ],
      audience: undefined,
      algorithms: ['RS256'],
      clockSkewSeconds: 0,
    });
  });
});
