// The ids API Gateway gives each request besides its request id (a UUID, `x-amzn-RequestId`).
import { pooledRandomBytes } from '../../support/random-pool.js';
import { newTraceRoot } from '../../functions/trace-header.js';

export interface RequestIds {
  /**
   * `x-amz-apigw-id` and `requestContext.extendedRequestId`: 11 random bytes in base64, 16
   * characters ending in `=` (e.g. `UbT6EHHvIAMEPqw=`), as real AWS answers carry it.
   * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html#context-variable-reference
   */
  extendedRequestId: string;
  /** The X-Ray trace root API Gateway starts for the request (`X-Amzn-Trace-Id`). */
  traceRoot: string;
}

export function newRequestIds(nowMs: number): RequestIds {
  const bytes = pooledRandomBytes(23);
  return {
    extendedRequestId: bytes.subarray(0, 11).toString('base64'),
    traceRoot: newTraceRoot(nowMs, bytes.subarray(11)),
  };
}
