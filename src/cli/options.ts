import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadProject, type Project } from '../config/project-file.js';

/** A port option: an integer 0–65535, else one clear error naming the option. */
export function parsePort(option: string, value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`${option}: not a port number: ${value}`);
  return port;
}

/** `--config`, else ./sallyport.yaml when there is one, else no project. */
export async function projectFor(config: string | undefined): Promise<Project | undefined> {
  if (config !== undefined) return loadProject(config);
  if (existsSync('sallyport.yaml') || existsSync('sallyport.yml')) return loadProject('.');
  return undefined;
}

/** `--data-dir`, else `.sallyport` beside the project file, else in the current folder. */
export function dataDirFor(dataDir: string | undefined, project: Project | undefined): string {
  return resolve(dataDir ?? (project ? join(project.dir, '.sallyport') : '.sallyport'));
}
