// mapping/vtl-compiler.ts: a template compiled to JavaScript source renders what the interpreter
// (velocityjs with vtl.ts's Java differences and budget) renders, byte for byte — or fails with the
// same message — over random templates of the constructs the compiler takes and random payloads.
// The interpreter is the oracle: its Java differences are pinned in vtl.test.ts.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parse } from 'velocityjs';
import { compileVtl } from '../../../src/gateway/mapping/vtl-compiler.js';
import { compileTemplate, type TemplateVariables } from '../../../src/gateway/mapping/vtl.js';
import { CONSOLE_PASSTHROUGH, TYPICAL } from './templates.js';

/** Fresh variables for each render: a template may change them (`#set`, `.add`, `.put`). */
function variables(body: string): TemplateVariables {
  const path = Object.create(null) as Record<string, string>;
  path.id = '7';
  const all = {
    path,
    querystring: { name: 'Rex', sort: 'a"s/c' },
    header: { Accept: '*/*', 'User-Agent': 'test/1.0 é' },
  };
  return {
    context: {
      stage: 'dev',
      requestId: 'r-1',
      httpMethod: 'POST',
      identity: { sourceIp: '127.0.0.1', userAgent: null },
      authorizer: { principalId: 'user-1', tenant: 'acme', n: '3' },
    },
    stageVariables: { v1: 'one', v2: "it's" },
    input: {
      body,
      params: (name?: string) =>
        name === undefined
          ? all
          : ((Object.hasOwn(path, name) ? path[name] : undefined) ??
            (all.querystring as Record<string, string>)[name] ??
            (all.header as Record<string, string>)[name] ??
            ''),
    },
  };
}

type Outcome = { ok: string } | { error: string };
function outcome(template: string, body: string, interpret: boolean): Outcome {
  try {
    return { ok: compileTemplate(template, { interpret }).render(variables(body)) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** The compiler takes the template (no fallback), and its answer is the interpreter's. */
function same(template: string, body: string, mustCompile = true): boolean {
  const compiled = compileVtl(parse(template)) !== undefined;
  if (mustCompile) assert.ok(compiled, `compiled: ${template}`);
  assert.deepEqual(outcome(template, body, false), outcome(template, body, true), template);
  return compiled;
}

// --- the grammar ------------------------------------------------------------------------------

const name = fc.constantFrom('a', 'b', 'x', 'item', 'i', 'foreach', 'velocityCount');
const int = fc.integer({ min: -3, max: 12 }).map(String);
const single = fc.constantFrom("'a'", "'k'", "''", "'$.a'", "'x y'", "'a\"b'");
const property = fc.constantFrom(
  'a',
  'b',
  'k',
  'name',
  'items',
  'length',
  'size',
  'hasNext',
  'index',
  'count',
  'empty',
  'sourceIp',
  'principalId',
  'tenant',
  'identity',
  'authorizer',
  'stage',
  'v1',
  'path',
  'header',
);
const text = fc.constantFrom('', ' ', ',', '"', ': ', '{', '}', '\n', 'ab', ' - ', '\t');

const { template } = fc.letrec<{
  ref: string;
  expr: string;
  literal: string;
  statement: string;
  template: string;
}>((tie) => {
  const ref = (): fc.Arbitrary<string> => tie('ref');
  const expr = (): fc.Arbitrary<string> => tie('expr');
  const literal = (): fc.Arbitrary<string> => tie('literal');
  const args = (n: number) =>
    fc.array(literal(), { minLength: n, maxLength: n }).map((xs) => xs.join(', '));
  const step = fc.oneof(
    property.map((p) => `.${p}`),
    fc.oneof(int, single, ref()).map((k) => `[${k}]`),
    fc
      .constantFrom('keySet', 'size', 'length', 'isEmpty', 'toString', 'entrySet')
      .map((m) => `.${m}()`),
    fc
      .constantFrom('get', 'contains', 'containsKey', 'equals', 'add', 'remove', 'getA')
      .chain((m) => args(1).map((a) => `.${m}(${a})`)),
    fc
      .constantFrom('put', 'set', 'replaceAll', 'subList')
      .chain((m) => args(2).map((a) => `.${m}(${a})`)),
  );
  const root = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom('input', 'util', 'context', 'stageVariables') },
    { weight: 4, arbitrary: name },
  );
  const special = fc.oneof(
    fc.constantFrom(
      "$input.json('$')",
      "$input.json('$.a')",
      "$input.path('$.items')",
      "$input.json('$.items[1]')",
      "$input.json('$..k')",
      '$input.params()',
      "$input.params('name')",
      "$input.params('id')",
      '$input.body',
      '$util.parseJson(\'{"k":[1,2]}\')',
      '$foreach.hasNext',
      '$foreach.index',
      '$foreach.count',
      '$velocityCount',
      '$context.authorizer.principalId',
      '$context.identity.sourceIp',
      '$stageVariables.v2',
    ),
    fc
      .tuple(
        fc.constantFrom('escapeJavaScript', 'urlEncode', 'base64Encode', 'urlDecode'),
        literal(),
      )
      .map(([f, a]) => `$util.${f}(${a})`),
  );
  return {
    ref: fc.oneof(
      { weight: 2, arbitrary: special },
      {
        weight: 3,
        arbitrary: fc
          .tuple(fc.constantFrom('$', '$!'), root, fc.array(step, { maxLength: 3 }), fc.boolean())
          .map(([leader, r, path, wrapped]) =>
            wrapped ? `${leader}{${r}${path.join('')}}` : `${leader}${r}${path.join('')}`,
          ),
      },
    ),
    literal: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      int,
      fc.constantFrom('1.5', 'true', 'false', 'null'),
      single,
      ref(),
      fc
        .array(fc.oneof(text, ref()), { maxLength: 3 })
        .map((parts) => `"${parts.join('').replace(/"/g, "'")}"`),
      fc.array(literal(), { maxLength: 3 }).map((xs) => `[${xs.join(', ')}]`),
      fc.tuple(fc.oneof(int, ref()), fc.oneof(int, ref())).map(([a, b]) => `[${a}..${b}]`),
      fc
        .array(fc.tuple(single, literal()), { maxLength: 3 })
        .map((kv) => `{${kv.map(([k, v]) => `${k}: ${v}`).join(', ')}}`),
    ),
    expr: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      literal(),
      fc
        .tuple(
          expr(),
          fc.constantFrom('+', '-', '*', '/', '%', '==', '!=', '<', '>', '<=', '>=', '&&', '||'),
          expr(),
        )
        .map(([a, op, b]) => `${a} ${op} ${b}`),
      expr().map((e) => `!${e}`),
      expr().map((e) => `(${e})`),
    ),
    statement: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      text,
      ref(),
      fc.tuple(name, expr()).map(([n, e]) => `#set($${n} = ${e})`),
      fc
        .tuple(
          name,
          fc.oneof(
            property.map((p) => `.${p}`),
            int.map((i) => `[${i}]`),
          ),
          literal(),
        )
        .map(([n, p, e]) => `#set($${n}${p} = ${e})`),
      fc
        .tuple(
          expr(),
          tie('template'),
          fc.option(fc.tuple(expr(), tie('template'))),
          fc.option(tie('template')),
        )
        .map(
          ([c, t, elseif, otherwise]) =>
            `#if(${c})${t}${elseif ? `#elseif(${elseif[0]})${elseif[1]}` : ''}${otherwise !== null ? `#else${otherwise}` : ''}#end`,
        ),
      fc
        .tuple(name, fc.oneof(ref(), literal()), tie('template'))
        .map(
          ([n, from, body]) => `#foreach($${n} in ${from})${body}#if($foreach.hasNext),#end#end`,
        ),
    ),
    template: fc
      .array(fc.tuple(tie('statement'), text), { maxLength: 5 })
      .map((xs) => xs.map(([s, t]) => s + t).join('')),
  };
});

const body = fc.oneof(
  fc.constant(''),
  fc.constant('not json'),
  fc
    .record(
      {
        a: fc.jsonValue({ maxDepth: 2 }),
        k: fc.oneof(fc.string(), fc.integer()),
        items: fc.array(
          fc.oneof(
            fc.integer(),
            fc.string(),
            fc.dictionary(fc.constantFrom('k', 'a'), fc.integer()),
          ),
          { maxLength: 4 },
        ),
        name: fc.string(),
      },
      { requiredKeys: [] },
    )
    .map((document) => JSON.stringify(document)),
);

const parses = (text: string) => {
  try {
    parse(text);
    return true;
  } catch {
    return false;
  }
};

describe('compiled templates render what the interpreter renders', () => {
  it('random templates over random payloads (property)', () => {
    let runs = 0;
    let compiled = 0;
    fc.assert(
      fc.property(template, body, (t, b) => {
        fc.pre(parses(t));
        runs++;
        // Only a quoted string whose text does not parse is left to the interpreter here.
        if (same(t, b, false)) compiled++;
      }),
      { numRuns: Number(process.env.VTL_RUNS ?? 1500) },
    );
    assert.ok(compiled > runs * 0.8, `${compiled} of ${runs} compiled`);
  });

  it("the console's Method Request passthrough and a typical template", () => {
    for (const b of ['', '{"pet":{"name":"Rex"},"a":[1,{"k":"\\u00e9/\'"}]}'])
      for (const t of [CONSOLE_PASSTHROUGH, TYPICAL]) same(t, b);
  });

  it('velocityjs scoping, kept: a loop over a map leaves its last values visible', () => {
    same(
      "#set($m = {'a': 1, 'b': 2})#foreach($v in $m)$v#end ($v $foreach.index $velocityCount)",
      '',
    );
    same('#foreach($v in [1, 2])#set($m = {"k": $v})#foreach($w in $m)$w#end#end ($v $w)', '');
    same('#set($i = 0)#foreach($i in [1..3])#set($i = $i * 2)$i#end$i', '');
    same('#foreach($x in [1..3])#set($y = $x)#end$y $x', '');
  });

  it('Java arithmetic, list printing, handlers and errors as the interpreter has them', () => {
    same(
      '#set($x = 7 / 2)#set($y = 7 / 2.0)$x $y #set($m = {"k": "v"})#set($l = [1, "a", $m])$l $l.add(3) $l.size()',
      '',
    );
    same("#set($m = {})$m.put('k', 'v')$m.get('k')$m.getK() $m.keySet() $m.isEmpty()", '');
    same("$util.parseJson('nope')", '');
    same("$util.urlDecode('%zz')", '');
    same('$input.params()', '');
    same(
      "#set($s = 'a-1')$s.replaceAll('[0-9]', '#')$s.matches('a-\\d') $s.equalsIgnoreCase('A-1')",
      '',
    );
  });
});

describe('the budget, as the interpreter counts it', () => {
  for (const t of [
    '#foreach($i in [1..100000000])x#end',
    '#foreach($i in [1..999])#foreach($j in [1..999])#foreach($k in [1..9])#end#end#end',
    '#set($s = "0123456789")#foreach($i in [1..60])#set($s = "$s$s")#end$s',
    '#set($n = 999)#foreach($i in [0..$n])#foreach($j in [0..$n])$j#end#end',
    '#set($n = 1000)#foreach($i in [$n..1])#end',
  ])
    it(t, () => {
      same(t, '');
    });
});

describe('what the compiler leaves to the interpreter', () => {
  for (const t of [
    '#macro(r $x)<$x>#end#r(1)#r("a")',
    '#define($d)d$x#end#set($x = 1)$d',
    '#foreach($i in [1..5])#if($i == 3)#break#end$i#end',
    'a#stop()b',
    '#set($s = "#if(")$s',
  ])
    it(t, () => {
      assert.equal(compileVtl(parse(t)), undefined);
      assert.deepEqual(outcome(t, '', false), outcome(t, '', true));
    });
});

describe("a template's text never becomes code", () => {
  // Strings and names reach the generated source only as JSON string literals: text that would
  // close a string, a comment or a template literal renders as text, as the interpreter renders it.
  for (const t of [
    `#set($s = "\\"); globalThis.pwned = 1; (\\"")$s`,
    "#set($s = '\\'); globalThis.pwned = 1; //')$s x",
    '#set($s = "*/ globalThis.pwned = 1; /*")$s',
    "#set($s = '` + (globalThis.pwned = 1) + `${globalThis.pwned = 1}')$s",
    '#set($s = "` + (globalThis.pwned = 1) + `")$s',
    '#set($s = "line\u2028sep\u2029x")$s \u2028 $s.length()',
    '#set($m = {"a\\"b": 1, "__proto__": 2, "constructor": 3})$m $m.keySet()',
    `$input.json('$["a\\"); globalThis.pwned = (1"]') $input.params("\\"); globalThis.pwned = 1; //")`,
    '#foreach($__proto__ in [1, 2])$__proto__#end $context.constructor $context.__proto__',
    '#set($x.constructor.prototype.pwned = 1)#set($x["__proto__"].pwned = 1)$x',
  ])
    it(t, () => {
      same(t, '{"a":1}');
      assert.equal((globalThis as { pwned?: unknown }).pwned, undefined);
    });
});

describe('a process that forbids code generation from strings', () => {
  it('renders templates on the interpreter, the same bytes', () => {
    // Built JavaScript (dist/), as a deployment runs it: the flag refuses `new Function`.
    const script = `
      const { compileTemplate } = await import(${JSON.stringify(
        new URL('../../../dist/gateway/mapping/vtl.js', import.meta.url).href,
      )});
      const template = ${JSON.stringify(TYPICAL)};
      const body = '{"pet":{"name":"Rex"}}';
      const input = { body, params: (name) => (name === undefined ? {} : 'n-' + name) };
      const context = { stage: 'dev', authorizer: { principalId: 'p' }, identity: {} };
      process.stdout.write(compileTemplate(template).render({ context, input }));`;
    const child = spawnSync(
      process.execPath,
      ['--disallow-code-generation-from-strings', '--input-type=module', '-e', script],
      { encoding: 'utf8' },
    );
    assert.equal(child.status, 0, child.stderr);
    const expected = compileTemplate(TYPICAL, { interpret: true }).render({
      context: { stage: 'dev', authorizer: { principalId: 'p' }, identity: {} },
      input: {
        body: '{"pet":{"name":"Rex"}}',
        params: (name?: string) => (name === undefined ? {} : `n-${name}`),
      },
    });
    assert.equal(child.stdout, expected);
    assert.match(child.stdout, /"pet": \{"name":"Rex"\}/);
  });
});

describe('numbers as the interpreter reads them', () => {
  for (const t of [
    '#set($z = -0)#set($x = 1 / $z)$x #set($y = 1.0 / -0)$y',
    '#set($x = 9007199254740993)$x #set($w = 0.1 + 0.2)$w #set($v = 2.50)$v',
  ])
    it(t, () => {
      same(t, '', false);
    });
});
