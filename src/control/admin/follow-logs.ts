// GET /_sallyport/logs: the request log, live, for `sallyport logs --follow` — newline-delimited
// JSON (follow-lines.ts), open until the follower leaves. Signed with the admin credentials like
// every admin operation: the lines say who was let in and why. Not an AWS operation (AWS streams
// logs through CloudWatch Logs); the path is outside every AWS API's paths.
import type { ServerResponse } from 'node:http';
import type { Followers, FollowFilter } from '../../observability/followers.js';
import { parseStatusFilter } from '../../observability/followers.js';
import { BadRequestError } from '../errors.js';
import type { StreamHandler } from './server.js';

export const FOLLOW_LOGS_PATH = '/_sallyport/logs';

export function followLogsHandler(followers: Followers): StreamHandler {
  return (query: URLSearchParams, res: ServerResponse) => {
    const filter: FollowFilter = {};
    const api = query.get('api');
    const stage = query.get('stage');
    const status = query.get('status');
    if (api) filter.api = api;
    if (stage) filter.stage = stage;
    if (status) {
      try {
        filter.status = parseStatusFilter(status);
      } catch (error) {
        throw new BadRequestError((error as Error).message.replace('--status', 'status'));
      }
    }
    res.writeHead(200, {
      'Content-Type': 'application/x-ndjson',
      'Cache-Control': 'no-store',
      'x-amzn-RequestId': crypto.randomUUID(),
    });
    res.flushHeaders();
    followers.add(res, filter);
  };
}
