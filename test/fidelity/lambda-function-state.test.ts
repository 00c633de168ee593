// A function's State through @aws-sdk/client-lambda and a real `sallyport serve`: CreateFunction
// answers `Pending` (the function is being created), GetFunction then `Active`.
// https://docs.aws.amazon.com/lambda/latest/dg/functions-states.html
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { GetFunctionCommand } from '@aws-sdk/client-lambda';
import { serve, type Served } from '../e2e/harness.js';
import { assertJsonLike } from '../support/recorded-answer.js';
import { ADMIN_ENV, createExampleFunction, sdkClients } from './sdk-client.js';

// A new function is Pending with StateReasonCode Creating until it can be invoked; real
// `aws lambda create-function` outputs show "StateReason": "The function is being created." and
// no LastUpdateStatus yet.
const STATES_DOC = 'https://docs.aws.amazon.com/lambda/latest/dg/functions-states.html';

let s: Served;
before(async () => {
  s = await serve([], ADMIN_ENV);
});
after(() => s.stop());

it('CreateFunction answers Pending; GetFunction then Active', async () => {
  const { lambda } = sdkClients(s);
  const created = await createExampleFunction(lambda, 'stateful', 'hello');
  assertJsonLike(
    {
      State: created.State,
      StateReason: created.StateReason,
      StateReasonCode: created.StateReasonCode,
      LastUpdateStatus: created.LastUpdateStatus ?? null,
    },
    {
      State: 'Pending',
      StateReason: 'The function is being created.',
      StateReasonCode: 'Creating',
      LastUpdateStatus: null,
    },
    '$',
    `(AWS: ${STATES_DOC})`,
  );
  const got = await lambda.send(new GetFunctionCommand({ FunctionName: 'stateful' }));
  assert.equal(got.Configuration?.State, 'Active', STATES_DOC);
  assert.equal(got.Configuration?.LastUpdateStatus, 'Successful', STATES_DOC);
  assert.equal(got.Configuration?.StateReason, undefined, STATES_DOC);
});
