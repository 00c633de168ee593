// steps/authorize.ts: one switch over the method's authorization kind.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createAuthorizeStep } from '../../../src/gateway/steps/authorize.js';
import { authorizeDeps, exchangeFor, method, snapshot, stageOf } from '../fixtures.js';

const step = createAuthorizeStep(authorizeDeps());

test('a method with authorization NONE passes synchronously, untouched', () => {
  const exchange = exchangeFor(stageOf(snapshot({ '/x': [method()] })), { url: '/x' });
  assert.equal(step(exchange), undefined);
  assert.equal(exchange.authorizer, undefined);
  assert.equal(exchange.caller, undefined);
});

test('an AWS_IAM method is checked synchronously (no promise on the hot path)', () => {
  const stage = stageOf(snapshot({ '/x': [method({ authorizationType: 'AWS_IAM' })] }));
  assert.throws(() => step(exchangeFor(stage, { url: '/x' })), /Missing Authentication Token/);
});
