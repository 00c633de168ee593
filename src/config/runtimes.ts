// The Lambda runtimes Sallyport runs, by family. Kept apart from schema.ts so the CLI can name them
// (option checks, --help) without loading the project-file schema.
import type { FunctionRuntime } from '../model/types.js';

export const NODE_RUNTIMES = ['nodejs18.x', 'nodejs20.x', 'nodejs22.x'] as const;
// https://docs.aws.amazon.com/lambda/latest/dg/lambda-python.html
export const PYTHON_RUNTIMES = [
  'python3.9',
  'python3.10',
  'python3.11',
  'python3.12',
  'python3.13',
] as const;
// https://docs.aws.amazon.com/lambda/latest/dg/runtimes-provided.html
export const PROVIDED_RUNTIMES = ['provided', 'provided.al2', 'provided.al2023'] as const;

export const RUNTIMES = [
  ...NODE_RUNTIMES,
  ...PYTHON_RUNTIMES,
  ...PROVIDED_RUNTIMES,
] as const satisfies readonly FunctionRuntime[];
