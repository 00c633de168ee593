// The Runtime API's own error answers, built here and nowhere else: what Lambda's runtime API
// server (RAPID) sends a runtime that breaks the protocol. Body shape `{errorMessage, errorType}`.
// https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html
// Wording follows aws-lambda-runtime-interface-emulator (lambda/rapi/rendering, rapi/handler).
import { MAX_RESPONSE_PAYLOAD_BYTES } from '../platform-errors.js';

export interface RuntimeApiErrorBody {
  errorMessage: string;
  errorType: string;
}

export interface RuntimeApiAnswer {
  status: number;
  body: RuntimeApiErrorBody | { status: 'OK' };
}

/** 202 `{"status":"OK"}`: a response, an error or an init error was accepted. */
export const ACCEPTED: RuntimeApiAnswer = { status: 202, body: { status: 'OK' } };

/** 400: a response or error for a request id that is not the invocation in progress. */
export const INVALID_REQUEST_ID: RuntimeApiAnswer = {
  status: 400,
  body: { errorMessage: 'Invalid request ID', errorType: 'InvalidRequestID' },
};

/** 413: the response is over the 6 MB payload quota (the invocation fails, the runtime lives on). */
export const REQUEST_ENTITY_TOO_LARGE: RuntimeApiAnswer = {
  status: 413,
  body: {
    errorMessage: `Exceeded maximum allowed payload size (${MAX_RESPONSE_PAYLOAD_BYTES} bytes).`,
    errorType: 'RequestEntityTooLarge',
  },
};

/**
 * 403: the call is not allowed in the runtime's current state — a second response for one
 * invocation, an init error after init, `next` while an invocation is still unanswered.
 */
export function invalidStateTransition(from: RuntimeState, to: RuntimeState): RuntimeApiAnswer {
  return {
    status: 403,
    body: {
      errorMessage: `State transition from ${from} to ${to} failed for runtime. Error: State transition is not allowed`,
      errorType: 'InvalidStateTransition',
    },
  };
}

/** RAPID's names for the runtime's states, as its state-transition errors print them. */
export type RuntimeState =
  | 'Started'
  | 'Ready'
  | 'Running'
  | 'InvocationResponse'
  | 'InvocationErrorResponse'
  | 'RuntimeResponseSent'
  | 'InitError';
