import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  CredentialsError,
  generateCredentials,
  loadAdminCredentials,
} from '../../../src/control/admin/credentials.js';

const dir = () => mkdtempSync(join(tmpdir(), 'sallyport-creds-'));

test('SALLYPORT_ACCESS_KEY_ID / SALLYPORT_SECRET_ACCESS_KEY win, nothing is written', async () => {
  const dataDir = dir();
  const loaded = await loadAdminCredentials({
    dataDir,
    env: { SALLYPORT_ACCESS_KEY_ID: 'AKIAENV', SALLYPORT_SECRET_ACCESS_KEY: 's3cret' },
  });
  assert.deepEqual(loaded, { credentials: { accessKeyId: 'AKIAENV', secretAccessKey: 's3cret' } });
  await assert.rejects(
    loadAdminCredentials({ dataDir, env: { SALLYPORT_ACCESS_KEY_ID: 'AKIAENV' } }),
    CredentialsError,
  );
});

test('without them, a pair is generated once, stored 0600, and read back after', async () => {
  const dataDir = join(dir(), 'nested');
  const first = await loadAdminCredentials({ dataDir, env: {} });
  const file = join(dataDir, 'credentials.json');
  assert.equal(first.generatedAt, file);
  assert.match(first.credentials.accessKeyId, /^AKIA[A-Z2-7]{16}$/);
  assert.match(first.credentials.secretAccessKey, /^[A-Za-z0-9+/]{40}$/);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), first.credentials);
  const second = await loadAdminCredentials({ dataDir, env: {} });
  assert.deepEqual(second, { credentials: first.credentials });
});

test('a broken credentials file is an error, never silently replaced', async () => {
  const dataDir = dir();
  writeFileSync(join(dataDir, 'credentials.json'), '{"accessKeyId": 1}');
  await assert.rejects(loadAdminCredentials({ dataDir, env: {} }), CredentialsError);
});

test('generated pairs differ', () => {
  assert.notDeepEqual(generateCredentials(), generateCredentials());
});
