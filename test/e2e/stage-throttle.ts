// What the tests of a shared stage throttle share: a `*/*` methodSettings throttle set through
// UpdateStage, and how many times a process logged compiling a stage (to wait for the change).
// https://docs.aws.amazon.com/apigateway/latest/api/API_UpdateStage.html
import { UpdateStageCommand, type APIGatewayClient } from '@aws-sdk/client-api-gateway';

/** Sets the stage's throttle to a burst of `burstLimit` and one token per 1,000 s. */
export async function throttleStage(
  apigw: APIGatewayClient,
  restApiId: string,
  stageName: string,
  burstLimit: number,
): Promise<void> {
  await apigw.send(
    new UpdateStageCommand({
      restApiId,
      stageName,
      patchOperations: [
        { op: 'replace', path: '/*/*/throttling/burstLimit', value: String(burstLimit) },
        // None comes back within a test.
        { op: 'replace', path: '/*/*/throttling/rateLimit', value: '0.001' },
      ],
    }),
  );
}

/** The "stage deployed" lines of `stageName` in `output` (of one `--workers` worker, if given). */
export function deployedLines(output: string, stageName: string, worker?: number): number {
  const prefix = worker === undefined ? '' : `"worker":${worker},.*`;
  const line = new RegExp(`${prefix}"stageName":"${stageName}".*"stage deployed"`);
  return output.split('\n').filter((l) => line.test(l)).length;
}
