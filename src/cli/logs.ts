// `sallyport logs --follow`: the request log of a running `serve`, live, with each request's
// authorization trace, from its admin listener (GET /_sallyport/logs, signed with the admin
// credentials the data directory or the environment holds, as `serve` found them).
import { Command, Option } from 'commander';
import { request } from 'node:http';
import { createInterface } from 'node:readline';
import { signedHeaders } from '../auth/sigv4/sign.js';
import { FOLLOW_LOGS_PATH } from '../control/admin/follow-logs.js';
import type { FollowLine } from '../observability/follow-lines.js';
import { parseStatusFilter } from '../observability/followers.js';
import { fail } from './fail.js';
import { paintFor, prettyLine } from './follow-format.js';
import { adminCredentialsFor } from './admin-credentials.js';
import { messageOf } from './admin-client.js';

interface LogsOptions {
  follow?: boolean;
  config?: string;
  dataDir?: string;
  endpointUrl: string;
  api?: string;
  stage?: string;
  status?: string;
  format?: 'json' | 'pretty';
}

export function logsCommand(): Command {
  return new Command('logs')
    .description("follow a running serve's request log, with each request's authorization trace")
    .option('-f, --follow', 'stream lines as requests are answered (required)')
    .option('-c, --config <path>', 'sallyport.yaml, or the folder holding it (as for serve)')
    .option(
      '--data-dir <dir>',
      'where serve keeps its state, and the admin credentials (as for serve)',
    )
    .option(
      '--endpoint-url <url>',
      "serve's admin API",
      process.env.SALLYPORT_ADMIN_URL ?? 'http://127.0.0.1:9001',
    )
    .option('--api <id|name>', 'only this API')
    .option('--stage <name>', 'only this stage')
    .option('--status <code>', 'only this status (403) or class (4xx)')
    .addOption(
      new Option('--format <format>', 'pretty (default on a terminal) or json lines').choices([
        'json',
        'pretty',
      ]),
    )
    .action((options: LogsOptions) => follow(options).catch(fail));
}

async function follow(options: LogsOptions): Promise<void> {
  if (!options.follow)
    throw new Error('logs: only --follow is supported (sallyport logs --follow)');
  if (options.status !== undefined) parseStatusFilter(options.status);
  const credentials = await adminCredentialsFor(options);
  const url = new URL(FOLLOW_LOGS_PATH, options.endpointUrl);
  for (const [name, value] of [
    ['api', options.api],
    ['stage', options.stage],
    ['status', options.status],
  ] as const)
    if (value !== undefined) url.searchParams.set(name, value);
  const format = options.format ?? (process.stdout.isTTY ? 'pretty' : 'json');
  const paint = paintFor(
    format === 'pretty' && process.stdout.isTTY === true && !process.env.NO_COLOR,
  );
  const headers = signedHeaders(
    { method: 'GET', url: url.href, service: 'apigateway' },
    credentials,
  );
  await new Promise<void>((done, refuse) => {
    const req = request(url, { method: 'GET', headers }, (res) => {
      if (res.statusCode !== 200) {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () =>
          refuse(new Error(`${url.origin}: ${res.statusCode} ${messageOf(body)}`)),
        );
        return;
      }
      process.stderr.write(`following ${url.origin} (Ctrl-C to stop)\n`);
      const lines = createInterface({ input: res });
      lines.on('line', (text) => {
        if (text === '') return;
        if (format === 'json') process.stdout.write(text + '\n');
        else process.stdout.write(prettyLine(JSON.parse(text) as FollowLine, paint) + '\n');
      });
      res.on('end', () => {
        process.stderr.write('the server closed the stream (serve stopped)\n');
        done();
      });
    });
    req.on('error', (error) =>
      refuse(new Error(`cannot reach serve's admin API at ${url.origin}: ${error.message}`)),
    );
    req.end();
  });
}
