// The lines the Lambda platform itself writes around each invocation, in CloudWatch's text format.
// https://docs.aws.amazon.com/lambda/latest/dg/nodejs-logging.html
// https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html
import { timedOutMessage } from './platform-errors.js';

export function startLine(requestId: string, version: string): string {
  return `START RequestId: ${requestId} Version: ${version}`;
}

export function endLine(requestId: string): string {
  return `END RequestId: ${requestId}`;
}

export interface ReportFields {
  durationMs: number;
  memorySizeMB: number;
  maxMemoryUsedMB: number;
  initDurationMs?: number;
  /** Present when the invocation did not end normally, e.g. `timeout`, `error`. */
  status?: string;
  errorType?: string;
}

/** Billing is per 1 ms, rounded up. https://aws.amazon.com/lambda/pricing/ */
export function reportLine(requestId: string, fields: ReportFields): string {
  let line =
    `REPORT RequestId: ${requestId}\tDuration: ${fields.durationMs.toFixed(2)} ms` +
    `\tBilled Duration: ${Math.ceil(fields.durationMs)} ms` +
    `\tMemory Size: ${fields.memorySizeMB} MB\tMax Memory Used: ${fields.maxMemoryUsedMB} MB`;
  if (fields.initDurationMs !== undefined) {
    line += `\tInit Duration: ${fields.initDurationMs.toFixed(2)} ms`;
  }
  if (fields.status !== undefined) line += `\tStatus: ${fields.status}`;
  if (fields.errorType !== undefined) line += `\tError Type: ${fields.errorType}`;
  return line;
}

export function timeoutLine(requestId: string, timeoutSeconds: number): string {
  return `${new Date().toISOString()} ${requestId} ${timedOutMessage(timeoutSeconds)}`;
}

/** Written when the environment ended without a result (an ExitError or OutOfMemory). */
export function runtimeExitLine(errorMessage: string, errorType: string): string {
  return `${errorMessage}\n${errorType}`;
}
