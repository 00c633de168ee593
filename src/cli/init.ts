// `sallyport init [dir] --runtime nodejs|python`: a working TOKEN-authorizer project, the
// walkthrough's (examples/sayhello or examples/sayhello-python, shipped in the package), that
// `sallyport serve` runs at once. It never overwrites: an existing file is refused before anything
// is written.
import { Command, Option } from 'commander';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fail } from './fail.js';

const TEMPLATES = {
  nodejs: fileURLToPath(new URL('../../examples/sayhello', import.meta.url)),
  python: fileURLToPath(new URL('../../examples/sayhello-python', import.meta.url)),
} as const;
type TemplateRuntime = keyof typeof TEMPLATES;

// What a project needs; the example's README and its local state stay behind.
const COPIED = ['functions', 'openapi.yaml'];
const SKIPPED = new Set(['__pycache__', '.sallyport', 'node_modules']);

export function initCommand(): Command {
  return new Command('init')
    .description('write a working TOKEN-authorizer project (the walkthrough) into a folder')
    .argument('[dir]', 'where to write it (created if missing)', '.')
    .addOption(
      new Option('--runtime <runtime>', 'the language of its functions')
        .choices(Object.keys(TEMPLATES))
        .default('nodejs'),
    )
    .action((dir: string, options: { runtime: TemplateRuntime }) => {
      try {
        init(resolve(dir), dir, options.runtime);
      } catch (error) {
        fail(error);
      }
    });
}

function init(target: string, dirArg: string, runtime: TemplateRuntime): void {
  const template = TEMPLATES[runtime];
  const files = [...COPIED.flatMap((p) => filesUnder(template, p)), 'sallyport.yaml', 'README.md'];
  const taken = files.filter((file) => existsSync(join(target, file)));
  if (taken.length)
    throw new Error(
      `${dirArg}: would overwrite ${taken.join(', ')}; choose an empty folder (nothing was written)`,
    );
  mkdirSync(target, { recursive: true });
  for (const path of COPIED)
    cpSync(join(template, path), join(target, path), {
      recursive: true,
      filter: (source) => !SKIPPED.has(source.split('/').pop()!),
    });
  writeFileSync(join(target, 'sallyport.yaml'), projectFile(template, runtime));
  const shown = relative(process.cwd(), target) || '.';
  writeFileSync(join(target, 'README.md'), readme(runtime, shown));
  process.stdout.write(
    [
      `✔ wrote a ${runtime} TOKEN-authorizer project into ${shown}: ${files.length} files`,
      `  serve it:  npx sallyport serve --config ${shown}`,
      `  call it:   curl -i -H 'jwt_token: allow' http://localhost:8080/dev/sayhello   (see ${join(shown, 'README.md')})`,
      '',
    ].join('\n'),
  );
}

/** Paths (relative to `root`) of the files under `root/path`, as they will be written. */
function filesUnder(root: string, path: string): string[] {
  if (!statSync(join(root, path)).isDirectory()) return [path];
  return readdirSync(join(root, path))
    .filter((name) => !SKIPPED.has(name))
    .flatMap((name) => filesUnder(root, join(path, name)));
}

/** The example's sallyport.yaml, its header comment rewritten for a project of one's own. */
function projectFile(template: string, runtime: TemplateRuntime): string {
  const body = readFileSync(join(template, 'sallyport.yaml'), 'utf8').replace(/^(#.*\n)+/, '');
  return (
    `# A GET /sayhello behind a Lambda TOKEN authorizer reading the jwt_token header (${runtime}),\n` +
    '# written by `sallyport init`. Serve it with: npx sallyport serve --config <this folder>\n' +
    body
  );
}

function readme(runtime: TemplateRuntime, dir: string): string {
  const authorizer =
    runtime === 'python'
      ? 'functions/authorizer/lambda_function.py'
      : 'functions/authorizer/index.js';
  return `# sayhello — a Lambda TOKEN authorizer in front of a function

Written by \`sallyport init\`: a \`GET /sayhello\` (Lambda proxy integration with \`sayhello\`) behind a
TOKEN authorizer, \`api-authorizer\` (\`${authorizer}\`), whose token is the \`jwt_token\` header.
Token \`allow\` may call every method, \`unauthorized\` is refused with 401, anything else is denied.

- \`sallyport.yaml\` — the functions and the API, deployed to stage \`dev\`;
- \`openapi.yaml\` — the API, with AWS's \`x-amazon-apigateway-*\` extensions;
- \`functions/\` — the authorizer and the function, unchanged Lambda ${runtime === 'python' ? 'Python' : 'Node.js'} handlers.

## Run it

\`\`\`sh
npx sallyport serve --config ${dir}
\`\`\`

## Call it

\`\`\`sh
curl -i http://localhost:8080/dev/sayhello                          # 401 {"message":"Unauthorized"}
curl -i -H 'jwt_token: allow' http://localhost:8080/dev/sayhello    # 200 {"message":"Hello from Lambda!",…}
curl -i -H 'jwt_token: deny'  http://localhost:8080/dev/sayhello    # 403, explicit deny
\`\`\`

Run the authorizer once, without the gateway:

\`\`\`sh
npx sallyport generate-event authorizer-token --token allow --path /sayhello --stage dev \\
  | npx sallyport invoke api-authorizer --config ${dir} --event -
\`\`\`
`;
}
