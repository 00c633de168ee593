// A SAM/CloudFormation template, read once: parameters with defaults and overrides, conditions,
// resources (those whose Condition is false left out), Globals, and values resolved on demand so
// an intrinsic inside a setting Sallyport ignores (an IAM policy's !ImportValue) never fails.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-anatomy.html
import { isObject, text } from '../source/values.js';
import type { Settings } from '../../model/types.js';
import { ProjectFileError } from '../errors.js';
import type { LocatedYaml, Path } from '../source/located-yaml.js';
import { restApiIdFor } from '../../support/stable-id.js';
import { type IntrinsicContext, resolveValue } from './intrinsics.js';

export interface Resource {
  logicalId: string;
  type: string;
  properties: Record<string, unknown>;
}

const FUNCTION_TYPES = new Set(['AWS::Serverless::Function', 'AWS::Lambda::Function']);
const API_TYPES = new Set(['AWS::Serverless::Api', 'AWS::ApiGateway::RestApi']);

export class Template {
  readonly root: Record<string, unknown>;
  readonly resources = new Map<string, Resource>();
  readonly ctx: IntrinsicContext;
  private readonly notEmulated = new Map<string, Set<string>>();
  private readonly conditions = new Map<string, boolean | 'evaluating'>();

  constructor(
    readonly yaml: LocatedYaml,
    readonly file: string,
    settings: Settings,
    overrides: Record<string, string>,
  ) {
    if (!isObject(yaml.value)) this.fail([], 'expected a template (a mapping)');
    this.root = yaml.value;
    const parameters = this.readParameters(overrides);
    const mappings = isObject(this.root.Mappings) ? this.root.Mappings : {};
    this.ctx = {
      region: settings.region,
      accountId: settings.accountId,
      stackName: 'sallyport-local',
      parameters,
      mappings,
      condition: (name, path) => this.condition(name, path),
      ref: (id) => this.refOf(id),
      getAtt: (id, attribute) => this.getAttOf(id, attribute),
      fail: (path, message) => this.fail(path, message),
    };
    this.readResources();
  }

  fail(path: Path, message: string): never {
    throw new ProjectFileError(
      'ERR_PROJECT_INVALID',
      this.file,
      `${this.yaml.where(path)}: ${message}`,
    );
  }

  where(path: Path): string {
    return this.yaml.where(path);
  }

  /** A value of the template, its intrinsic functions resolved. */
  resolve(value: unknown, path: Path): unknown {
    return resolveValue(value, this.ctx, path);
  }

  /** Listed once at start-up, one line per kind: `item` accepted, with no local effect. */
  accept(kind: string, item: string): void {
    const items = this.notEmulated.get(kind) ?? new Set<string>();
    items.add(item);
    this.notEmulated.set(kind, items);
  }

  notEmulatedLines(): string[] {
    return [...this.notEmulated].map(([kind, items]) => `${kind}: ${[...items].join(', ')}`);
  }

  functionName(id: string): string {
    const resource = this.resources.get(id)!;
    const name = resource.properties.FunctionName;
    if (name === undefined) return id;
    const resolved = this.resolve(name, ['Resources', id, 'Properties', 'FunctionName']);
    if (typeof resolved !== 'string')
      this.fail(['Resources', id, 'Properties', 'FunctionName'], 'expected a string');
    return resolved;
  }

  functionArn(id: string): string {
    return `arn:aws:lambda:${this.ctx.region}:${this.ctx.accountId}:function:${this.functionName(id)}`;
  }

  private refOf(id: string): unknown {
    const resource = this.resources.get(id);
    if (id === 'ServerlessRestApi') return restApiIdFor(id);
    if (!resource) return undefined;
    if (FUNCTION_TYPES.has(resource.type)) return this.functionName(id);
    if (API_TYPES.has(resource.type)) return restApiIdFor(id);
    // ApiGateway::Resource / Authorizer ids: the plain-resource converter reads them back.
    return `${resource.type}:${id}`;
  }

  private getAttOf(id: string, attribute: string): unknown {
    const resource = this.resources.get(id);
    if (!resource) return undefined;
    if (FUNCTION_TYPES.has(resource.type) && attribute === 'Arn') return this.functionArn(id);
    if (API_TYPES.has(resource.type) && attribute === 'RootResourceId') return `root:${id}`;
    // Attributes of resources Sallyport does not run (a table's ARN in a policy): a stand-in.
    return `${id}.${attribute}`;
  }

  // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html
  private readParameters(overrides: Record<string, string>): Map<string, string | string[]> {
    const declared = isObject(this.root.Parameters) ? this.root.Parameters : {};
    for (const name of Object.keys(overrides)) {
      if (!(name in declared))
        throw new ProjectFileError(
          'ERR_PROJECT_INVALID',
          this.file,
          `--parameter-overrides: the template has no parameter "${name}" (it has: ${Object.keys(declared).join(', ') || 'none'})`,
        );
    }
    const values = new Map<string, string | string[]>();
    for (const [name, spec] of Object.entries(declared)) {
      const path = ['Parameters', name];
      if (!isObject(spec)) this.fail(path, 'expected a mapping with Type (and Default)');
      const raw = overrides[name] ?? spec.Default;
      if (raw === undefined)
        this.fail(path, `no value: give it a Default or --parameter-overrides ${name}=…`);
      const given = Array.isArray(raw) ? raw.map(text).join(',') : text(raw);
      const type = text(spec.Type ?? 'String');
      if (type.startsWith('AWS::SSM::Parameter::Value'))
        this.fail(
          path,
          `${type} reads SSM Parameter Store: give the value with --parameter-overrides ${name}=…`,
        );
      if (Array.isArray(spec.AllowedValues) && !spec.AllowedValues.map(text).includes(given))
        this.fail(
          path,
          `"${given}" is not one of AllowedValues (${spec.AllowedValues.map(text).join(', ')})`,
        );
      if (
        typeof spec.AllowedPattern === 'string' &&
        !new RegExp(`^(?:${spec.AllowedPattern})$`).test(given)
      )
        this.fail(path, `"${given}" does not match AllowedPattern ${spec.AllowedPattern}`);
      if (type === 'Number' && Number.isNaN(Number(given)))
        this.fail(path, `"${given}" is not a number`);
      const list = type === 'CommaDelimitedList' || type.startsWith('List<');
      values.set(name, list ? given.split(',').map((s) => s.trim()) : given);
    }
    return values;
  }

  private condition(name: string, path: Path): boolean {
    const known = this.conditions.get(name);
    if (known === 'evaluating') this.fail(path, `condition "${name}" depends on itself`);
    if (known !== undefined) return known;
    const conditions = isObject(this.root.Conditions) ? this.root.Conditions : {};
    if (!(name in conditions)) this.fail(path, `no condition "${name}" in Conditions`);
    this.conditions.set(name, 'evaluating');
    const value = this.resolve(conditions[name], ['Conditions', name]);
    if (typeof value !== 'boolean')
      this.fail(
        ['Conditions', name],
        'a condition must be Fn::Equals, Fn::And, Fn::Or, Fn::Not or Condition',
      );
    this.conditions.set(name, value);
    return value;
  }

  private readResources(): void {
    const resources = this.root.Resources;
    if (!isObject(resources)) this.fail(['Resources'], 'a template needs a Resources mapping');
    for (const [logicalId, raw] of Object.entries(resources)) {
      const path = ['Resources', logicalId];
      if (!isObject(raw) || typeof raw.Type !== 'string')
        this.fail(path, 'expected Type and Properties');
      const properties = raw.Properties ?? {};
      if (!isObject(properties)) this.fail([...path, 'Properties'], 'expected a mapping');
      this.resources.set(logicalId, { logicalId, type: raw.Type, properties });
    }
    // Conditions may Ref parameters only, so they can be read now that resources are known.
    for (const [logicalId, raw] of Object.entries(resources)) {
      const name = (raw as Record<string, unknown>).Condition;
      if (typeof name === 'string' && !this.condition(name, ['Resources', logicalId, 'Condition']))
        this.resources.delete(logicalId);
    }
  }
}
