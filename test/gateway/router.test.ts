// Resource matching as API Gateway does it.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-settings-method-request.html#api-gateway-proxy-resource
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Router } from '../../src/gateway/router.js';

function router(...paths: string[]): Router<string> {
  const r = new Router<string>();
  for (const p of paths) r.add(p, p, new Map([['GET', p]]));
  return r;
}

const matched = (r: Router<string>, path: string) => {
  const m = r.match(path);
  return m && { resource: m.target.resourcePath, params: m.pathParameters };
};

describe('router', () => {
  it('matches a literal path and the root', () => {
    const r = router('/', '/sayhello');
    assert.deepEqual(matched(r, '/sayhello'), { resource: '/sayhello', params: null });
    assert.deepEqual(matched(r, '/'), { resource: '/', params: null });
  });

  it('is case-sensitive on literal parts', () => {
    assert.equal(router('/sayhello').match('/SayHello'), undefined);
  });

  it('ignores one trailing slash', () => {
    assert.deepEqual(matched(router('/pets'), '/pets/'), { resource: '/pets', params: null });
  });

  it('a literal part beats a {param} part', () => {
    const r = router('/pets/{petId}', '/pets/mine');
    assert.deepEqual(matched(r, '/pets/mine'), { resource: '/pets/mine', params: null });
    assert.deepEqual(matched(r, '/pets/42'), {
      resource: '/pets/{petId}',
      params: { petId: '42' },
    });
  });

  it('a {param} part beats a greedy {proxy+} part', () => {
    const r = router('/pets/{petId}', '/pets/{proxy+}');
    assert.deepEqual(matched(r, '/pets/42'), {
      resource: '/pets/{petId}',
      params: { petId: '42' },
    });
    assert.deepEqual(matched(r, '/pets/42/toys'), {
      resource: '/pets/{proxy+}',
      params: { proxy: '42/toys' },
    });
  });

  it('backtracks from a literal branch that dead-ends to a {param} branch', () => {
    const r = router('/a/b', '/{x}/c');
    assert.deepEqual(matched(r, '/a/c'), { resource: '/{x}/c', params: { x: 'a' } });
  });

  it('greedy {proxy+} matches one or more segments, never the root', () => {
    const r = router('/{proxy+}');
    assert.deepEqual(matched(r, '/a'), { resource: '/{proxy+}', params: { proxy: 'a' } });
    assert.deepEqual(matched(r, '/a/b/c'), { resource: '/{proxy+}', params: { proxy: 'a/b/c' } });
    assert.equal(r.match('/'), undefined);
  });

  // REST APIs hand path parameters to the function as the path spells them
  // (serverless/serverless#5037: `/posts/%40` → `event.pathParameters.id` is `%40`).
  it('keeps path parameter values percent-encoded', () => {
    assert.deepEqual(matched(router('/pets/{name}'), '/pets/big%20dog'), {
      resource: '/pets/{name}',
      params: { name: 'big%20dog' },
    });
    assert.deepEqual(matched(router('/f/{proxy+}'), '/f/a%20b/c%40d'), {
      resource: '/f/{proxy+}',
      params: { proxy: 'a%20b/c%40d' },
    });
  });

  it('keeps a long parameter (no length limit that falls through)', () => {
    const long = 'x'.repeat(500);
    assert.deepEqual(matched(router('/pets/{id}', '/{proxy+}'), `/pets/${long}`), {
      resource: '/pets/{id}',
      params: { id: long },
    });
  });

  it('does not match an unknown path or empty segments', () => {
    const r = router('/pets/{id}');
    assert.equal(r.match('/cats/1'), undefined);
    assert.equal(r.match('/pets//'), undefined);
    assert.equal(r.match('/pets'), undefined);
  });

  it('rejects a greedy variable that is not the last part', () => {
    assert.throws(() => router('/{proxy+}/x'), /greedy path variable must be the last part/);
  });
});
