// What `sallyport logs --follow` receives: one JSON line per answered request (the request log's
// line, with the authorization trace), and the execution-log lines of the requests, when
// something publishes them on `sallyport:execution-log`. Made only while someone follows.
import { channel } from 'node:diagnostics_channel';
import { authorizationTrace, type AuthorizationTrace } from './authorization-trace.js';
import { requestAnswered, type RequestAnswered } from './channels.js';
import { describeAuthorization } from './authorization-summary.js';
import { gatewayAnswer } from './request-log.js';

export interface FollowRequestLine {
  kind: 'request';
  time: string;
  requestId: string;
  method: string;
  url: string;
  apiId?: string;
  apiName?: string;
  stage?: string;
  status: number;
  ms: number;
  /** The request log's few words: the authorization outcome, or the gateway's answer. */
  detail?: string;
  authorization?: AuthorizationTrace;
}

/** A line of a stage's execution log, as published on `sallyport:execution-log`. */
export interface FollowExecutionLine {
  kind: 'execution';
  time: string;
  requestId: string;
  apiId?: string;
  stage?: string;
  line: string;
}

/** Lines a slow follower missed: it reads slower than the gateway answers. */
export interface FollowDroppedLine {
  kind: 'dropped';
  count: number;
}

export type FollowLine = FollowRequestLine | FollowExecutionLine | FollowDroppedLine;

/** Starts calling `emit` with every line; returns what stops it. */
export type LineSource = (emit: (line: FollowLine) => void) => () => void;

/** The execution log's channel (its lines: `{ requestId, restApiId, stage, time, line }`). */
export const EXECUTION_LOG_CHANNEL = 'sallyport:execution-log';

export function requestLine(m: RequestAnswered, now: number): FollowRequestLine {
  const line: FollowRequestLine = {
    kind: 'request',
    time: new Date(m.requestTimeEpoch).toISOString(),
    requestId: m.requestId,
    method: m.method,
    url: m.url,
    status: m.status,
    ms: m.latencyMs,
  };
  if (m.apiId !== undefined) line.apiId = m.apiId;
  if (m.apiName !== undefined) line.apiName = m.apiName;
  if (m.stage !== undefined) line.stage = m.stage;
  const detail = describeAuthorization(m, now) ?? gatewayAnswer(m);
  if (detail !== undefined) line.detail = detail;
  const trace = authorizationTrace(m, now);
  if (trace) line.authorization = trace;
  return line;
}

function executionLine(message: unknown): FollowExecutionLine | undefined {
  const m = message as Partial<Record<'requestId' | 'restApiId' | 'stage' | 'line', unknown>> & {
    time?: unknown;
  };
  if (typeof m.line !== 'string' || typeof m.requestId !== 'string') return undefined;
  const line: FollowExecutionLine = {
    kind: 'execution',
    time: isoTime(m.time),
    requestId: m.requestId,
    line: m.line,
  };
  if (typeof m.restApiId === 'string') line.apiId = m.restApiId;
  if (typeof m.stage === 'string') line.stage = m.stage;
  return line;
}

/** This process's own requests, from its channels: subscribed only while `emit` is wanted. */
export const localLines: LineSource = (emit) => {
  const execution = channel(EXECUTION_LOG_CHANNEL);
  const onRequest = (message: unknown) => emit(requestLine(message as RequestAnswered, Date.now()));
  const onExecution = (message: unknown) => {
    const line = executionLine(message);
    if (line) emit(line);
  };
  requestAnswered.subscribe(onRequest);
  execution.subscribe(onExecution);
  return () => {
    requestAnswered.unsubscribe(onRequest);
    execution.unsubscribe(onExecution);
  };
};

function isoTime(value: unknown): string {
  const at = typeof value === 'number' || typeof value === 'string' ? new Date(value) : new Date();
  return Number.isNaN(at.getTime()) ? new Date().toISOString() : at.toISOString();
}
