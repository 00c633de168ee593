import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Project } from '../config/project-file.js';

/** A port option: an integer 0–65535, else one clear error naming the option. */
export function parsePort(option: string, value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`${option}: not a port number: ${value}`);
  return port;
}

/** `--config`, else ./sallyport.yaml when there is one, else no project. */
export async function projectFor(config: string | undefined): Promise<Project | undefined> {
  if (config === undefined && !existsSync('sallyport.yaml') && !existsSync('sallyport.yml'))
    return undefined;
  const { loadProject } = await import('../config/project-file.js');
  return loadProject(config ?? '.');
}

/** `--data-dir`, else `.sallyport` beside the project file, else in the current folder. */
export function dataDirFor(dataDir: string | undefined, project: Project | undefined): string {
  return resolve(dataDir ?? (project ? join(project.dir, '.sallyport') : '.sallyport'));
}

/** `rate:burst` (requests per second, bucket size) or `off`, else one clear error. */
export function parseThrottle(
  option: string,
  value: string,
): { rateLimit: number; burstLimit: number } | null {
  if (value === 'off') return null;
  const m = /^(\d+(?:\.\d+)?):(\d+)$/.exec(value);
  if (!m) throw new Error(`${option}: expected rate:burst (e.g. 10000:5000) or off, got ${value}`);
  return { rateLimit: Number(m[1]), burstLimit: Number(m[2]) };
}

/** A count or size option: a whole number ≥ 1, else one clear error naming the option. */
export function parsePositiveInteger(option: string, value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1)
    throw new Error(`${option}: expected a whole number of at least 1, got ${value}`);
  return n;
}
