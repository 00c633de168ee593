// SigV4 refusals, as AWS names them. Each plane renders them its own way: the admin API as a
// control-API error, the data plane as a gateway response; the codes and texts are AWS's.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/signature-v4-troubleshooting.html

export type SigV4ErrorCode =
  | 'InvalidSignatureException'
  | 'MissingAuthenticationTokenException'
  | 'UnrecognizedClientException'
  | 'IncompleteSignatureException';

export class SigV4Error extends Error {
  readonly code: SigV4ErrorCode;
  constructor(code: SigV4ErrorCode, message: string) {
    super(message);
    this.code = code;
    this.name = 'SigV4Error';
  }
}

/** AWS's text when the recomputed signature differs (wrong secret, or a tampered request). */
export const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
