// mapping/vtl.ts: where API Gateway's Java Velocity and velocityjs differ, each pinned to the
// Java answer; $util as Java's libraries give it; the render budget.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html
// https://velocity.apache.org/engine/1.7/user-guide.html
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { compileTemplate, TemplateRenderError } from '../../../src/gateway/mapping/vtl.js';
import { escapeJavaScript, urlDecode, urlEncode } from '../../../src/gateway/mapping/util.js';

const render = (template: string, body = '{"a":{"b":[1,2,{"c":3}]}}') =>
  compileTemplate(template).render({
    input: { body, params: () => '' },
    context: { stage: 'dev' },
    stageVariables: {},
  });

describe('Java Velocity, not velocityjs', () => {
  it('a reference to nothing renders empty (API Gateway renders null as "")', () => {
    assert.equal(render('[$nothing][$input.path("$.none")]'), '[][]');
  });
  it('#break ends the iteration where it stands (velocityjs finishes the iteration: 123)', () => {
    assert.equal(render('#foreach($i in [1..5])#if($i == 3)#break#end$i#end'), '12');
  });
  it('integer / integer is integer division (velocityjs: 2.5)', () => {
    // A literal 5.0 reads as the number 5 in JavaScript, so `5.0 / 2` is 2 here (Java: 2.5).
    assert.equal(render('#set($x = 5 / 2)$x #set($y = 5 / 2.5)$y'), '2 2');
  });
  it('List.add returns true (velocityjs: the new length)', () => {
    assert.equal(render('#set($l = [])$l.add("a") $l.add("b") $l'), 'true true [a, b]');
  });
  it('Java String methods: length(), isEmpty(), contains(), replaceAll (a regex), matches', () => {
    assert.equal(
      render(
        "#set($s = 'abc-123')$s.length() $s.isEmpty() $s.contains('c-1') $s.replaceAll('[0-9]', '#') $s.matches('[a-c]+-\\d+')",
      ),
      '7 false true abc-### true',
    );
  });
  it('a map renders as Java Map.toString and a list as List.toString', () => {
    assert.equal(render("$input.path('$.a')"), '{b=[1, 2, {c=3}]}');
  });
});

describe('$input JSONPath', () => {
  it('definite paths give the value, indefinite ones a list', () => {
    assert.equal(render("$input.json('$.a.b[2]')"), '{"c":3}');
    assert.equal(render("$input.json('$..c')"), '[3]');
    assert.equal(render("$input.json('$.a.b[*]')"), '[1,2,{"c":3}]');
    assert.equal(render("$input.json('$')", ''), '{}');
  });
});

describe('$util, as Java runs it', () => {
  it("escapeJavaScript: ' → \\', / → \\/, non-ASCII → \\uXXXX (Commons Lang)", () => {
    assert.equal(
      escapeJavaScript('it\'s "a"/\\b\né\u2028'),
      'it\\\'s \\"a\\"\\/\\\\b\\n\\u00E9\\u2028',
    );
  });
  it('urlEncode is URLEncoder: space → +, * kept, ~ ! encoded', () => {
    assert.equal(urlEncode('a b*~!é'), 'a+b*%7E%21%C3%A9');
    assert.equal(urlDecode('a+b%2A'), 'a b*');
  });
  it('urlEncode then urlDecode gives the text back (property)', () => {
    fc.assert(fc.property(fc.string(), (s) => urlDecode(urlEncode(s)) === s));
  });
});

describe('the render budget', () => {
  const fails = (template: string) =>
    assert.throws(() => render(template), TemplateRenderError, template);
  it('a range over 1000 elements (AWS: #foreach is capped at 1000 iterations)', () => {
    fails('#foreach($i in [1..100000000])x#end');
  });
  it('nested loops past the step budget', () => {
    fails('#foreach($i in [1..999])#foreach($j in [1..999])#foreach($k in [1..9])#end#end#end');
  });
  it('a string that doubles past 10 MB', () => {
    fails('#set($s = "0123456789")#foreach($i in [1..60])#set($s = "$s$s")#end$s');
  });
  it('a macro that calls itself forever', () => {
    fails('#macro(r)#r()#end#r()');
  });
  it('a render that changes $stageVariables or $util leaves the next render as it was', () => {
    // Each request renders with the stage's variables as deployed: a template's put() stays
    // within its own request.
    const t = compileTemplate(
      '[$stageVariables.color]#set($x = $stageVariables.put("color", "red"))#set($y = $util.put("z", 1))',
    );
    const variables = { stageVariables: { color: 'blue' } };
    assert.equal(t.render(variables), '[blue]');
    assert.equal(t.render(variables), '[blue]');
    assert.deepEqual(variables.stageVariables, { color: 'blue' });
  });
  it('#stop in one render does not stop the next (one compiler state per render)', () => {
    const t = compileTemplate('a#stop()b');
    assert.equal(t.render({}), 'a');
    assert.equal(t.render({}), 'a');
  });
});
