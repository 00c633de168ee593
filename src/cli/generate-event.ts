// `sallyport generate-event KIND`: prints a sample API Gateway event, as `sam local generate-event
// apigateway …` does, ready to pipe into `sallyport invoke NAME --event -`.
import { Argument, Command } from 'commander';
import { fail } from './fail.js';
import { EVENT_KINDS, sampleEvent, type EventKind, type EventOptions } from './sample-events.js';

const collect = (value: string, previous: string[]) => [...previous, value];

export function generateEventCommand(): Command {
  return new Command('generate-event')
    .description('print a sample API Gateway event (as sam local generate-event apigateway)')
    .addArgument(new Argument('<kind>', 'the event').choices(EVENT_KINDS))
    .option('--path <path>', 'request path (default: /path/to/resource; authorizers /request)')
    .option('--method <method>', 'HTTP method (default: POST; authorizers GET)')
    .option('--body <text>', 'aws-proxy: the request body, sent base64-encoded as SAM does')
    .option('--stage <stage>', 'stage name (default: prod; authorizers test)')
    .option('--resource <path>', 'the resource path template (default: /{proxy+})')
    .option(
      '--token <token>',
      'authorizer-token: authorizationToken; authorizer-request: Authorization',
    )
    .option('--method-arn <arn>', 'authorizers: the methodArn, instead of one built from the rest')
    .option('--region <region>', 'region in ARNs and the Host header', 'us-east-1')
    .option('--account-id <id>', 'account id', '123456789012')
    .option('--api-id <id>', 'REST API id', '1234567890')
    .option('-H, --header <name:value>', 'a request header (repeatable)', collect, [])
    .option('-q, --query <name=value>', 'a query-string parameter (repeatable)', collect, [])
    .action((kind: EventKind, options: EventOptions) => {
      try {
        process.stdout.write(JSON.stringify(sampleEvent(kind, options), null, 2) + '\n');
      } catch (error) {
        fail(error);
      }
    });
}
