// The one reading of a request path (src/gateway/http/request-path.ts): what it accepts, what it
// refuses, and properties over random paths (fast-check).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { BadRequestPathError } from '../../../src/gateway/errors.js';
import {
  canonicalPath,
  checkPathValue,
  resourcePathOf,
} from '../../../src/gateway/http/request-path.js';

const refuses = (path: string) =>
  assert.throws(() => canonicalPath(path), BadRequestPathError, path);

describe('canonicalPath', () => {
  it('keeps plain paths and one trailing slash as sent', () => {
    assert.equal(canonicalPath('/'), '/');
    assert.equal(canonicalPath('/pets/7'), '/pets/7');
    assert.equal(canonicalPath('/pets/'), '/pets/');
    assert.equal(canonicalPath('/file.txt'), '/file.txt');
  });

  it('decodes escaped unreserved characters and upper-cases the other escapes (RFC 3986 §6.2.2)', () => {
    assert.equal(canonicalPath('/%61dmin'), '/admin');
    assert.equal(canonicalPath('/a%7eb/%c3%a9'), '/a~b/%C3%A9');
    assert.equal(canonicalPath('/a%20b'), '/a%20b');
  });

  it('refuses every spelling whose meaning depends on the reader', () => {
    for (const path of [
      'pets',
      '/..',
      '/a/.',
      '/a/%2E',
      '/a/.%2e/b',
      '/a/..;x',
      '/a/..%09',
      '/a%2fb',
      '/a%5Cb',
      '/a\\b',
      '/a//b',
      '//',
      '/a%',
      '/a%g1',
      '/%ff',
      '/a%00',
      '/%252e%252e',
      '/x%252Fy',
      '/a b',
      '/é',
    ])
      refuses(path);
  });

  it('resourcePathOf drops the trailing slash AWS ignores, never the root', () => {
    assert.equal(resourcePathOf('/admin/'), '/admin');
    assert.equal(resourcePathOf('/admin'), '/admin');
    assert.equal(resourcePathOf('/'), '/');
  });

  it('checkPathValue refuses dot segments and backslashes in mapped values', () => {
    assert.throws(() => checkPathValue('../admin'), BadRequestPathError);
    assert.throws(() => checkPathValue('a/%2e%2e'), BadRequestPathError);
    assert.throws(() => checkPathValue('a\\b'), BadRequestPathError);
    checkPathValue('a/b.c/%41');
  });
});

const CHAR = fc.constantFrom(
  ..."aZ09-._~!$&'()*+,;=:@%/\\ ",
  '%2e',
  '%2E',
  '%2f',
  '%5c',
  '%25',
  '%41',
  '%c3%a9',
  '%00',
);
const RAW = fc.array(CHAR, { maxLength: 24 }).map((chars) => `/${chars.join('')}`);

function accepted(path: string): string | undefined {
  try {
    return canonicalPath(path);
  } catch (error) {
    assert.ok(error instanceof BadRequestPathError);
    return undefined;
  }
}

describe('canonicalPath properties (fast-check)', () => {
  it('is idempotent: a canonical path is its own canonical form', () => {
    fc.assert(
      fc.property(RAW, (path) => {
        const once = accepted(path);
        if (once !== undefined) assert.equal(canonicalPath(once), once);
      }),
      { numRuns: 2000 },
    );
  });

  it('an accepted path has no segment a URL parser or a decoding backend could resolve', () => {
    fc.assert(
      fc.property(RAW, (path) => {
        const canonical = accepted(path);
        if (canonical === undefined) return;
        // The WHATWG parser resolves dot segments (and `%2e`): nothing may change.
        assert.equal(new URL(canonical, 'http://h').pathname, canonical);
        for (const segment of canonical.slice(1).split('/')) {
          const decoded = decodeURIComponent(segment);
          assert.ok(!decoded.includes('/') && !decoded.includes('\\'), canonical);
          assert.ok(!/^(?:\.|%2e){1,2}$/i.test(decoded.trim()), canonical);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws anything but BadRequestPathError, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => {
        accepted(`/${s}`);
      }),
      { numRuns: 2000 },
    );
  });
});
