// `sallyport explain`, the policy simulator, through the real CLI: one authorizer run, a verdict
// and the deciding statement for every method — wildcards, an explicit Deny that beats an Allow
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html),
// an implicit deny, a method without an authorizer, and a 401 before any policy.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { run } from '../e2e/harness.js';

const ARN = 'arn:aws:execute-api:us-east-1:123456789012:verdicts01/dev';
const base = ['explain', '--config', 'test/fixtures/observability', '--store', 'memory'];

describe('sallyport explain', () => {
  it('a policy with a wildcard Allow and an explicit Deny: every method, and the statement that decided', async () => {
    const r = await run([...base, '--token', 'mixed']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stdout,
      [
        'verdicts-api (verdicts01), stage dev',
        'METHOD  RESOURCE     VERDICT  WHY',
        `GET     /a           Allow    Statement[0] Allow ${ARN}/GET/*`,
        `POST    /a           Deny     no statement matches ${ARN}/POST/a (implicit deny)`,
        `GET     /b           Deny     Statement[1] Deny ${ARN}/GET/b`,
        `GET     /items/{id}  Allow    Statement[0] Allow ${ARN}/GET/*`,
        'GET     /open        open     no authorizer',
        '',
      ].join('\n'),
    );
  });

  it('without the identity source: 401 for every method behind the authorizer', async () => {
    const r = await run(base);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^GET {5}\/a {11}401 {6}no method\.request\.header\.token$/m);
    assert.match(r.stdout, /^GET {5}\/open {8}open {5}no authorizer$/m);
  });

  it('the token arrives as the authorizer sends it: Unauthorized from the function is a 401', async () => {
    const r = await run([...base, '--token', 'unauthorized']);
    assert.match(r.stdout, /^GET {5}\/b {11}401 {6}the authorizer answered Unauthorized$/m);
  });

  it('a stage that is not deployed: exit 1 naming what is', async () => {
    const r = await run([...base, '--stage', 'prod']);
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /no deployed stage matches --stage prod; deployed: verdicts-api \(verdicts01\)\/dev/,
    );
  });
});
