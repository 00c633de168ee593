// The handler's event, rebuilt on the worker's side from the invocation message's form of it
// (worker-protocol.ts): the proxy event from its values and flat maps, a mapped event from its
// JSON text, any other event as the structured clone carried it.
import { proxyEventOf } from '../lambda-proxy-event.js';
import { proxyEventValuesOf } from './flat-maps.js';
import type { InvokeMessage } from './worker-protocol.js';

export function handlerEvent(message: InvokeMessage): unknown {
  if (message.proxyEvent !== undefined) return proxyEventOf(proxyEventValuesOf(message));
  if (message.eventJson !== undefined) return JSON.parse(message.eventJson) as unknown;
  return message.event;
}
