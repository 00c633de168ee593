#!/usr/bin/env node
// dist/ is compiled by `npm install` (prepare) in a clone and shipped in the package: never here,
// so the first command starts at once. Without it, say what to run instead of a module trace.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  console.error(
    'sallyport: dist/ is missing: run `npm install` (or `npm run build`) in this folder first',
  );
  process.exit(1);
}
const { main } = await import(entry.href);
await main(process.argv);
