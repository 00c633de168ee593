// AWS::Serverless::Function and AWS::Lambda::Function → the functions Sallyport runs.
// https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-function.html
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-lambda-function.html
import { dirname, resolve } from 'node:path';
import type { ConvertedFunction } from '../source/to-project.js';
import { withGlobals } from './globals.js';
import { ACCEPTED_FUNCTION_PROPERTIES } from './not-emulated.js';
import type { Resource, Template } from './template.js';

const USED = new Set([
  'Handler',
  'Runtime',
  'CodeUri',
  'Code',
  'Timeout',
  'MemorySize',
  'Environment',
  'FunctionName',
  'Events',
  'PackageType',
]);

/** Event sources that call a function on their own, not through the API. */
const OTHER_EVENT_TYPES = new Set([
  'S3',
  'SNS',
  'SQS',
  'Kinesis',
  'DynamoDB',
  'Schedule',
  'ScheduleV2',
  'CloudWatchEvent',
  'EventBridgeRule',
  'CloudWatchLogs',
  'IoTRule',
  'AlexaSkill',
  'Cognito',
  'MSK',
  'MQ',
  'SelfManagedKafka',
  'DocumentDB',
]);

export function convertFunction(template: Template, resource: Resource): ConvertedFunction {
  const { logicalId, type } = resource;
  const base = ['Resources', logicalId, 'Properties'];
  const sam = type === 'AWS::Serverless::Function';
  const props = sam
    ? withGlobals(template.root, 'Function', resource.properties)
    : resource.properties;
  for (const key of Object.keys(props)) {
    if (USED.has(key)) continue;
    const kind = ACCEPTED_FUNCTION_PROPERTIES[key];
    if (kind) template.accept(kind, key);
    else if (key === 'InlineCode')
      template.fail(
        [...base, key],
        'inline code is not run locally: put it in a folder and name it in CodeUri',
      );
    else template.fail([...base, key], `unknown property of ${type}`);
  }
  if (props.PackageType === 'Image')
    template.fail(
      [...base, 'PackageType'],
      'container image functions are not run: use a Zip package (CodeUri and Runtime)',
    );
  const value = (key: string) =>
    props[key] === undefined ? undefined : template.resolve(props[key], [...base, key]);
  const config: Record<string, unknown> = {
    Runtime: value('Runtime'),
    Handler: value('Handler'),
    Code: codeFolder(template, sam, value(sam ? 'CodeUri' : 'Code'), [
      ...base,
      sam ? 'CodeUri' : 'Code',
    ]),
  };
  for (const key of ['Timeout', 'MemorySize']) {
    const v = value(key);
    if (v !== undefined) config[key] = typeof v === 'string' && v !== '' ? Number(v) : v;
  }
  const environment = value('Environment');
  if (environment !== undefined) config.Environment = environment;
  if (sam) readEvents(template, logicalId, props.Events, [...base, 'Events']);
  return {
    name: template.functionName(logicalId),
    where: template.where(['Resources', logicalId]),
    config,
  };
}

function codeFolder(
  template: Template,
  sam: boolean,
  code: unknown,
  path: (string | number)[],
): string {
  if (typeof code === 'string') {
    if (code.startsWith('s3://'))
      template.fail(path, 'code in S3 is not run locally: name a folder beside the template');
    return resolve(dirname(template.file), code);
  }
  if (code === undefined)
    template.fail(path, `${sam ? 'CodeUri' : 'Code'} is required: the folder holding the handler`);
  return template.fail(
    path,
    sam
      ? 'code in S3 ({Bucket, Key}) is not run locally: name a folder beside the template'
      : 'Code must name a folder beside the template (as `aws cloudformation package` takes it); S3 and ZipFile code are not run locally',
  );
}

function readEvents(
  template: Template,
  id: string,
  events: unknown,
  path: (string | number)[],
): void {
  if (events === undefined) return;
  const resolved = template.resolve(events, path);
  if (typeof resolved !== 'object' || resolved === null || Array.isArray(resolved))
    template.fail(path, 'expected a mapping of events');
  for (const [name, event] of Object.entries(resolved)) {
    const eventType = (event as { Type?: unknown } | null)?.Type;
    if (eventType === 'Api') continue;
    if (eventType === 'HttpApi')
      template.fail(
        [...path, name, 'Type'],
        'HttpApi events (API Gateway v2) are not served: Sallyport serves REST APIs (use Type: Api)',
      );
    if (typeof eventType === 'string' && OTHER_EVENT_TYPES.has(eventType))
      template.accept(
        'event sources other than Api (functions run when called through the API)',
        `${eventType} (${id}.${name})`,
      );
    else template.fail([...path, name, 'Type'], `unknown event type ${String(eventType)}`);
  }
}
