// The admin credentials a CLI command uses to act as the admin of a running `serve`: the same
// pair serve found (SALLYPORT_ACCESS_KEY_ID/SALLYPORT_SECRET_ACCESS_KEY, else the data
// directory's credentials.json), never a new one.
import { findAdminCredentials } from '../control/admin/credentials.js';
import type { AdminCredentials } from '../control/admin/sigv4.js';
import { dataDirFor, projectFor } from './options.js';

export interface AdminCredentialOptions {
  config?: string;
  dataDir?: string;
}

export async function adminCredentialsFor(
  options: AdminCredentialOptions,
): Promise<AdminCredentials> {
  const dataDir = dataDirFor(options.dataDir, await projectFor(options.config));
  const credentials = await findAdminCredentials({ dataDir });
  if (!credentials)
    throw new Error(
      `no admin credentials in ${dataDir} or SALLYPORT_ACCESS_KEY_ID/SALLYPORT_SECRET_ACCESS_KEY: pass serve's --data-dir or --config`,
    );
  return credentials;
}
