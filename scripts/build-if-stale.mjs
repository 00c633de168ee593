// `npm install`'s `prepare`: compile src/ into dist/ when dist/ is missing or older than the
// sources, and say so while it runs. npm runs `prepare` again when `npx sallyport` first installs
// this folder into its npx cache (to link the bin); with dist/ up to date that costs nothing,
// where an unconditional `tsc` was a silent 23–49 s rebuild before the first command.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const STAMP = join('dist', '.built');
const INPUTS = ['src', 'tsconfig.json', 'tsconfig.build.json', 'package.json'];

function newestMtime(path) {
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = stats.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

const built = existsSync(STAMP) ? statSync(STAMP).mtimeMs : -Infinity;
const sources = Math.max(...INPUTS.filter((p) => existsSync(p)).map(newestMtime));
if (built >= sources && !process.argv.includes('--force')) process.exit(0);

const tsc = join('node_modules', 'typescript', 'bin', 'tsc');
if (!existsSync(tsc)) {
  console.error(
    'sallyport: dist/ needs building, but TypeScript is not installed (run npm install with dev dependencies)',
  );
  process.exit(1);
}
const started = Date.now();
console.error(
  'sallyport: compiling TypeScript into dist/ (once after install or a source change)…',
);
const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
  stdio: 'inherit',
});
if (result.status !== 0) process.exit(result.status ?? 1);
writeFileSync(STAMP, `${new Date().toISOString()}\n`);
console.error(`sallyport: dist/ built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
