// What each Lambda runtime identifier asks for: a language and a version, and for runtimes AWS
// has deprecated, the supported one they run as here.
// https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html (supported and deprecated)
import type { DeprecatedRuntime, FunctionRuntime } from '../../model/types.js';

/** Each deprecated runtime → the nearest one Sallyport runs (the oldest supported of its language). */
export const DEPRECATED_RUNTIMES: Readonly<Record<DeprecatedRuntime, FunctionRuntime>> = {
  'python2.7': 'python3.9',
  'python3.6': 'python3.9',
  'python3.7': 'python3.9',
  'python3.8': 'python3.9',
  nodejs: 'nodejs18.x',
  'nodejs4.3': 'nodejs18.x',
  'nodejs4.3-edge': 'nodejs18.x',
  'nodejs6.10': 'nodejs18.x',
  'nodejs8.10': 'nodejs18.x',
  'nodejs10.x': 'nodejs18.x',
  'nodejs12.x': 'nodejs18.x',
  'nodejs14.x': 'nodejs18.x',
  'nodejs16.x': 'nodejs18.x',
};

export const DEPRECATED_RUNTIME_NAMES = Object.keys(DEPRECATED_RUNTIMES) as DeprecatedRuntime[];

export function isDeprecatedRuntime(runtime: string): runtime is DeprecatedRuntime {
  return Object.hasOwn(DEPRECATED_RUNTIMES, runtime);
}

/** The interpreter a runtime asks for: `python3.12` → python 3.12, `nodejs22.x` → node 22. */
export type Wanted =
  { language: 'python'; major: number; minor: number } | { language: 'node'; major: number };

/** What a supported runtime asks for; undefined for `provided` (the function brings its own). */
export function wantedBy(runtime: FunctionRuntime): Wanted | undefined {
  const python = /^python(\d+)\.(\d+)$/.exec(runtime);
  if (python) return { language: 'python', major: Number(python[1]), minor: Number(python[2]) };
  const node = /^nodejs(\d+)\.x$/.exec(runtime);
  if (node) return { language: 'node', major: Number(node[1]) };
  return undefined;
}

/** `3.9.18` is what `python3.9` wants; `20.19.0` what `nodejs20.x` wants. */
export function satisfies(wanted: Wanted, version: string): boolean {
  const [major, minor] = version.split('.').map(Number);
  if (major !== wanted.major) return false;
  return wanted.language === 'node' || minor === wanted.minor;
}

/** `Python 3.11.7` / `Node.js 20.19.0`, as messages name them. */
export function describeVersion(wanted: Wanted, version: string): string {
  return `${wanted.language === 'python' ? 'Python' : 'Node.js'} ${version}`;
}
