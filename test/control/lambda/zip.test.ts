// The deployment-package reader: what it accepts, and what it refuses before writing anything.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deflateRawSync } from 'node:zlib';
import { readZip, ZipError } from '../../../src/control/lambda/zip.js';
import { makeZip } from './make-zip.js';

describe('readZip', () => {
  it('reads deflated and stored entries, directories and Unix modes', () => {
    const zip = makeZip([
      { path: 'index.js', content: 'exports.handler = 1;' },
      { path: 'lib/', content: '', mode: 0o040755, store: true },
      { path: 'lib/a.txt', content: 'plain', store: true },
      { path: 'bootstrap', content: '#!/bin/sh', mode: 0o100755 },
    ]);
    const entries = readZip(zip);
    assert.deepEqual(
      entries.map((e) => [e.path, e.data.toString(), e.mode]),
      [
        ['index.js', 'exports.handler = 1;', 0o644],
        ['lib/', '', 0o755],
        ['lib/a.txt', 'plain', 0o644],
        ['bootstrap', '#!/bin/sh', 0o755],
      ],
    );
  });

  for (const path of ['../evil.js', 'a/../../evil.js', '/etc/passwd', 'C:/x.js', 'a\\..\\b.js']) {
    it(`refuses the unsafe path ${JSON.stringify(path)}`, () => {
      assert.throws(() => readZip(makeZip([{ path, content: 'x' }])), /unsafe path/);
    });
  }

  it('refuses symbolic links', () => {
    const zip = makeZip([{ path: 'link', content: '/etc/passwd', mode: 0o120777 }]);
    assert.throws(() => readZip(zip), /symbolic link/);
  });

  it('refuses what is not a zip, a truncated zip, and a corrupted entry', () => {
    assert.throws(() => readZip(Buffer.from('hello')), ZipError);
    const zip = makeZip([{ path: 'a.js', content: 'x'.repeat(100) }]);
    assert.throws(() => readZip(zip.subarray(10)), ZipError);
    const bad = Buffer.from(zip);
    bad[35] = bad[35]! ^ 0xff; // a byte of the compressed data
    assert.throws(() => readZip(bad), ZipError);
  });

  it('stops at the unzipped size limit, before inflating past it', () => {
    const big = Buffer.alloc(1024 * 1024);
    const zip = makeZip([
      { path: 'a', content: big },
      { path: 'b', content: big },
    ]);
    assert.throws(
      () => readZip(zip, 1_500_000),
      /Unzipped size must be smaller than 1500000 bytes/,
    );
    assert.equal(deflateRawSync(big).length < 2000, true);
  });
});
