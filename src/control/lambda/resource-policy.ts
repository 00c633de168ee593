// Answers the data plane's "may API Gateway invoke this function?" from the resource policies
// AddPermission keeps: a statement allows it when its principal is apigateway.amazonaws.com (or
// `*`), its action lambda:InvokeFunction (or a wildcard), and its conditions hold — ArnLike on
// AWS:SourceArn (`*` and `?` wildcards) and StringEquals on AWS:SourceAccount. Functions from
// sallyport.yaml are permitted implicitly: the project file is the operator's own configuration.
// https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html
// https://docs.aws.amazon.com/apigateway/latest/developerguide/permissions.html
import { wildcardMatch } from '../../gateway/authorizers/policy.js';
import type { InvokePermissions } from '../../gateway/invoke-permissions.js';
import type { Settings } from '../../model/types.js';
import type { StoreReader } from '../../store/store.js';
import type { StoredFunction } from './function-configuration.js';
import type { Statement } from './permissions.js';

const SERVICE = 'apigateway.amazonaws.com';
const ACTIONS = new Set(['lambda:invokefunction', 'lambda:*', '*']);

export class FunctionPolicies implements InvokePermissions {
  readonly #settings: Settings;
  #implicit = new Set<string>();
  #statements = new Map<string, Statement[]>();

  constructor(settings: Settings) {
    this.#settings = settings;
  }

  /** Rereads every function's policy; swapped in whole, so a check never sees half a reload. */
  async reload(store: StoreReader): Promise<void> {
    const implicit = new Set<string>();
    const statements = new Map<string, Statement[]>();
    for (const fn of await store.list<StoredFunction>('function', '')) {
      if (fn.LocalCode !== undefined) implicit.add(fn.FunctionName);
      else
        statements.set(fn.FunctionName, await store.list<Statement>('permission', fn.FunctionName));
    }
    this.#implicit = implicit;
    this.#statements = statements;
  }

  enforced(functionName: string): boolean {
    return !this.#implicit.has(functionName);
  }

  allows(functionName: string, sourceArns: readonly string[]): boolean {
    const statements = this.#statements.get(functionName) ?? [];
    return statements.some((statement) => this.#statementAllows(statement, sourceArns));
  }

  #statementAllows(statement: Statement, sourceArns: readonly string[]): boolean {
    if (statement.Effect !== 'Allow' || !ACTIONS.has(statement.Action.toLowerCase())) return false;
    const principal = statement.Principal;
    if (principal !== '*' && (typeof principal !== 'object' || principal.Service !== SERVICE))
      return false;
    const account = statement.Condition?.StringEquals?.['AWS:SourceAccount'];
    if (account !== undefined && account !== this.#settings.accountId) return false;
    const arn = statement.Condition?.ArnLike?.['AWS:SourceArn'];
    if (arn === undefined) return true;
    return sourceArns.some((source) => wildcardMatch(arn, source));
  }
}
