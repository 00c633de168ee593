// SigV4 refusals, as AWS names them. Each plane renders them its own way: the admin API as a
// control-API error, the data plane as a gateway response; the codes and texts are AWS's.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/signature-v4-troubleshooting.html
import { SallyportError, type SigV4ErrorCode } from '../../errors.js';

export class SigV4Error extends SallyportError {
  readonly code: SigV4ErrorCode;
  constructor(code: SigV4ErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

/** AWS's text when the recomputed signature differs (wrong secret, or a tampered request). */
export const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
