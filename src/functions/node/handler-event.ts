// The handler's event, rebuilt on the worker's side from the invocation message's form of it
// (worker-protocol.ts): the proxy event from its values and flat maps, a mapped event from its
// JSON text (EventNotJsonError when it does not parse), any other event as the structured clone
// carried it.
import { parseEventJson } from '../invoker.js';
import { proxyEventOf } from '../lambda-proxy-event.js';
import { proxyEventValuesOf } from './flat-maps.js';
import type { InvokeMessage } from './worker-protocol.js';

export function handlerEvent(message: InvokeMessage): unknown {
  if (message.proxyEvent !== undefined) return proxyEventOf(proxyEventValuesOf(message));
  if (message.eventJson !== undefined) return parseEventJson(message.eventJson);
  return message.event;
}
