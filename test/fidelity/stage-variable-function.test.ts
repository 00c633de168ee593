// `${stageVariables.fn}` in a Lambda integration URI: each stage calls its own function; a stage
// naming a function that does not exist deploys and answers 500, the reason in the log.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/aws-api-gateway-stage-variables-reference.html
// https://docs.aws.amazon.com/apigateway/latest/developerguide/amazon-api-gateway-using-stage-variables.html
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { call, eventually } from '../e2e/harness.js';
import { assertRecordedAnswer } from '../support/recorded-answer.js';
import { FIXTURE, startFidelityProject, type FidelityProject } from './fidelity-project.js';

const STAGE_VARIABLES_DOC =
  'https://docs.aws.amazon.com/apigateway/latest/developerguide/aws-api-gateway-stage-variables-reference.html';

let p: FidelityProject;
before(async () => {
  p = await startFidelityProject(`  - name: stage-function
    id: stagefn001
    openapi: ${join(FIXTURE, 'stage-function.yaml')}
    stages:
      blue:
        variables: { fn: answer }
      green:
        variables: { fn: inspect-auth }
      broken:
        variables: { fn: no-such-function }
`);
});
after(() => p.stop());

const stageUrl = (stage: string) =>
  `${p.served.base}/restapis/stagefn001/${stage}/_user_request_/which`;

it('each stage calls the function its variable names', async () => {
  const blue = await call(stageUrl('blue'));
  assert.equal(blue.status, 200, blue.body);
  const { event } = blue.json() as { event: { stageVariables: Record<string, string> } };
  assert.deepEqual(event.stageVariables, { fn: 'answer' }, STAGE_VARIABLES_DOC);
  // inspect-auth answers with an authorizer's output, which is no proxy response: a 502 proves
  // the other function ran.
  const green = await call(stageUrl('green'));
  assert.equal(green.status, 502, green.body);
});

it('a stage naming a function that does not exist answers 500 Internal server error', async () => {
  const r = await call(stageUrl('broken'));
  assertRecordedAnswer(r, {
    source: `${STAGE_VARIABLES_DOC} (AWS is silent on the status: 500, as for its other Lambda configuration errors)`,
    status: 500,
    headers: { 'x-amzn-errortype': 'InternalServerErrorException' },
    body: { message: 'Internal server error' },
  });
  // The log line travels on the server's stdout, which may arrive after the answer.
  await eventually(() => /Lambda function no-such-function does not exist/.test(p.served.output()));
});
