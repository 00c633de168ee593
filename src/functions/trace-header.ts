// X-Ray trace headers, as Lambda hands them to a function (`_X_AMZN_TRACE_ID`,
// `Lambda-Runtime-Trace-Id`) and API Gateway starts them for a request.
// https://docs.aws.amazon.com/xray/latest/devguide/xray-concepts.html#xray-concepts-tracingheader
import { pooledRandomBytes } from '../support/random-pool.js';

/** `Root=1-{epoch seconds, 8 hex}-{96 random bits, 24 hex}`. */
export function newTraceRoot(nowMs: number, random: Buffer = pooledRandomBytes(12)): string {
  const epoch = Math.floor(nowMs / 1000)
    .toString(16)
    .padStart(8, '0');
  return `Root=1-${epoch}-${random.toString('hex')}`;
}

/** What a function sees: the root, a parent segment of the caller's, unsampled. */
export function functionTraceHeader(root: string = newTraceRoot(Date.now())): string {
  return `${root};Parent=${pooledRandomBytes(8).toString('hex')};Sampled=0`;
}
