// `sallyport debug-token`: a short-lived value for the X-Sallyport-Debug request header, made
// with the admin credentials (auth/debug-token.ts); a request carrying it gets its authorization
// trace back in X-Sallyport-Trace.
import { Command } from 'commander';
import { DEFAULT_DEBUG_TOKEN_SECONDS, mintDebugToken } from '../auth/debug-token.js';
import { adminCredentialsFor, type AdminCredentialOptions } from './admin-credentials.js';
import { fail } from './fail.js';

export function debugTokenCommand(): Command {
  return new Command('debug-token')
    .description(
      'print a short-lived X-Sallyport-Debug header value (admin credentials): responses then carry X-Sallyport-Trace',
    )
    .option('-c, --config <path>', 'sallyport.yaml, or the folder holding it (as for serve)')
    .option('--data-dir <dir>', 'where serve keeps its state, and the admin credentials')
    .option(
      '--ttl <seconds>',
      'how long the token works (at most 86400)',
      String(DEFAULT_DEBUG_TOKEN_SECONDS),
    )
    .action((options: AdminCredentialOptions & { ttl: string }) => mint(options).catch(fail));
}

async function mint(options: AdminCredentialOptions & { ttl: string }): Promise<void> {
  const ttl = Number(options.ttl);
  const credentials = await adminCredentialsFor(options);
  let minted;
  try {
    minted = mintDebugToken(credentials, ttl);
  } catch (error) {
    throw new Error(`--ttl: ${(error as Error).message}`, { cause: error });
  }
  process.stdout.write(minted.token + '\n');
  process.stderr.write(
    `valid until ${minted.expiresAt.toISOString()}; send it as: -H 'X-Sallyport-Debug: ${minted.token}'\n`,
  );
}
