// Deploy-time and import-time refusals, and property tests for the parser-like parts: which
// parameters a validator finds missing, which model a content type selects, and model references
// surviving import → store → export.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { compileStage } from '../../src/gateway/compile.js';
import { DeploymentError } from '../../src/gateway/errors.js';
import {
  modelUrl,
  parseDocumentRef,
  parseModelUrl,
} from '../../src/gateway/validation/model-ref.js';
import {
  missingParameters,
  modelFor,
  requiredParameters,
} from '../../src/gateway/validation/request-validation.js';
import { CompiledModels, type ModelCheck } from '../../src/gateway/validation/models.js';
import type { Model } from '../../src/model/types.js';
import { importOpenApiDocument } from '../../src/openapi/import.js';
import { exportOpenApi } from '../../src/openapi/export.js';
import { OpenApiImportError } from '../../src/openapi/errors.js';
import { DEFAULT_SETTINGS } from '../../src/model/types.js';
import { compileDeps, gatewayRequest, method, snapshot } from '../gateway/fixtures.js';

const STAGE = { stageName: 'prod', deploymentId: 'dep001', variables: {} };
const model = (name: string, schema: string): Model => ({
  id: name.toLowerCase(),
  name,
  contentType: 'application/json',
  schema,
});

function compileWith(models: Model[], m = method()) {
  const api = { ...snapshot({ '/x': [m] }), models, requestValidators: [] };
  return () => compileStage(api, STAGE, compileDeps());
}

describe('deploy time', () => {
  it('a schema that does not compile is a DeploymentError naming the model', () => {
    assert.throws(compileWith([model('Broken', '{"type": "nonsense"}')]), (error: unknown) => {
      assert.ok(error instanceof DeploymentError);
      assert.match(error.message, /^model Broken: invalid schema/);
      return true;
    });
    assert.throws(compileWith([model('NotJson', '{')]), /model NotJson: the schema is not JSON/);
    assert.throws(
      compileWith([
        model('Dangling', '{"$ref": "https://apigateway.amazonaws.com/restapis/x/models/Gone"}'),
      ]),
      /model Dangling: invalid schema/,
    );
  });

  it('patterns run on RE2: a backreference is refused at deploy, a backtracking bomb answers at once', () => {
    assert.throws(
      compileWith([model('Backref', '{"type": "string", "pattern": "(a)\\\\1"}')]),
      /model Backref: invalid schema: .*linear-time engine/,
    );
    // (a+)+$ on "aaaa…!" takes exponential time with a backtracking engine.
    const models = new CompiledModels('api', [
      model('Bomb', '{"type": "string", "pattern": "^(a+)+$"}'),
    ]);
    const check = models.get('Bomb')!;
    assert.equal(check('a'.repeat(5000)), undefined);
    // The quoted input is cut at 1000 characters (the opening quote is one of them).
    assert.equal(
      check(`${'a'.repeat(5000)}!`),
      `[ECMA 262 regex "^(a+)+$" does not match input string "${'a'.repeat(999)}…]`,
    );
  });

  it('a method naming a missing validator or model is refused', () => {
    assert.throws(
      compileWith([], method({ requestValidatorId: 'nope' })),
      /request validator nope does not exist/,
    );
    assert.throws(
      compileWith([], method({ requestModels: { 'application/json': 'Gone' } })),
      /GET \/x: request model Gone does not exist/,
    );
  });

  it("AWS's Empty and Error models resolve without being defined", () => {
    assert.doesNotThrow(
      compileWith([], method({ requestModels: { 'application/json': 'Empty' } })),
    );
  });
});

const importDoc = (doc: object) =>
  importOpenApiDocument(
    { openapi: '3.0.1', info: { title: 't' }, ...doc },
    {
      apiId: 'api0000001',
      settings: DEFAULT_SETTINGS,
      functionExists: () => true,
      source: 'openapi.yaml',
    },
  );
const MOCK = { type: 'mock', requestTemplates: { 'application/json': '{"statusCode": 200}' } };

describe('import', () => {
  it('an unknown validator name is an import error pointing at it', () => {
    assert.throws(
      () =>
        importDoc({
          paths: {
            '/x': {
              get: {
                'x-amazon-apigateway-request-validator': 'nope',
                'x-amazon-apigateway-integration': MOCK,
              },
            },
          },
        }),
      (error: unknown) => {
        assert.ok(error instanceof OpenApiImportError);
        assert.match(error.message, /paths\.\/x\.get\.x-amazon-apigateway-request-validator/);
        assert.match(error.message, /request validator "nope" is not defined/);
        return true;
      },
    );
  });

  it('a $ref to something that is not a model is an import error', () => {
    assert.throws(
      () =>
        importDoc({
          paths: {
            '/x': {
              post: {
                requestBody: {
                  content: {
                    'application/json': { schema: { $ref: '#/components/schemas/Nope' } },
                  },
                },
                'x-amazon-apigateway-integration': MOCK,
              },
            },
          },
        }),
      /is not a model of this document/,
    );
  });

  it('export writes back what import read (OpenAPI 3 and Swagger 2)', () => {
    const snapshotIn = importDoc({
      'x-amazon-apigateway-request-validators': { v: { validateRequestBody: true } },
      paths: {
        '/x': {
          post: {
            'x-amazon-apigateway-request-validator': 'v',
            requestBody: {
              content: { 'application/json': { schema: { $ref: '#/components/schemas/A' } } },
            },
            'x-amazon-apigateway-integration': MOCK,
          },
        },
      },
      components: {
        schemas: {
          A: { type: 'object', properties: { b: { $ref: '#/components/schemas/B' } } },
          B: { type: 'string' },
        },
      },
    });
    for (const exportType of ['oas30', 'swagger'] as const) {
      const doc = exportOpenApi(snapshotIn, {
        exportType,
        stageName: 'prod',
        settings: DEFAULT_SETTINGS,
        extensions: new Set(['apigateway']),
      });
      const again = importOpenApiDocument(doc, {
        apiId: 'api0000001',
        settings: DEFAULT_SETTINGS,
        functionExists: () => true,
        source: exportType,
      });
      assert.deepEqual(again.models, snapshotIn.models, exportType);
      assert.deepEqual(again.requestValidators, snapshotIn.requestValidators, exportType);
      const post = (s: typeof snapshotIn) =>
        s.resources.find((r) => r.path === '/x')!.resourceMethods.POST!;
      assert.equal(post(again).requestValidatorId, post(snapshotIn).requestValidatorId);
      assert.deepEqual(post(again).requestModels, { 'application/json': 'A' });
    }
  });
});

// Names as API Gateway allows them in mapping expressions ([a-zA-Z0-9._-]+).
const paramName = fc.stringMatching(/^[a-zA-Z0-9._-]{1,12}$/);
const location = fc.constantFrom('header', 'querystring', 'path');

describe('properties', () => {
  it('missing parameters are exactly the required ones absent or blank, in expression order', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(
          fc.record({
            location,
            name: paramName,
            required: fc.boolean(),
            sent: fc.constantFrom('value', ' ', undefined),
          }),
          {
            selector: (p) => `${p.location}.${p.name.toLowerCase()}`,
            maxLength: 8,
          },
        ),
        (params) => {
          const requestParameters = Object.fromEntries(
            params.map((p) => [`method.request.${p.location}.${p.name}`, p.required]),
          );
          const headers = params
            .filter((p) => p.location === 'header' && p.sent !== undefined)
            .map((p) => [p.name.toUpperCase(), p.sent!] as [string, string]);
          const query = params
            .filter((p) => p.location === 'querystring' && p.sent !== undefined)
            .map((p) => `${encodeURIComponent(p.name)}=${encodeURIComponent(p.sent!)}`)
            .join('&');
          const pathParameters = Object.fromEntries(
            params
              .filter((p) => p.location === 'path' && p.sent !== undefined)
              .map((p) => [p.name, p.sent!]),
          );
          const request = gatewayRequest({ url: query ? `/x?${query}` : '/x', headers });
          const missing = missingParameters(requiredParameters(requestParameters), {
            request,
            pathParameters,
          });
          const expected = params
            .filter((p) => p.required && (p.sent === undefined || p.sent.trim() === ''))
            .sort((a, b) => {
              const ka = `method.request.${a.location}.${a.name}`;
              const kb = `method.request.${b.location}.${b.name}`;
              return ka < kb ? -1 : ka > kb ? 1 : 0;
            })
            .map((p) => p.name);
          assert.deepEqual(missing, expected);
        },
      ),
    );
  });

  it('a content type selects its model whatever its case and parameters, else $default', () => {
    const token = fc.stringMatching(/^[a-z0-9][a-z0-9.+-]{0,10}$/);
    fc.assert(
      fc.property(token, token, fc.boolean(), fc.boolean(), (type, sub, upper, withDefault) => {
        const exact = () => undefined;
        const fallback = () => 'fallback';
        const models = new Map<string, ModelCheck>([[`${type}/${sub}`, exact]]);
        if (withDefault) models.set('$default', fallback);
        const sent = `${upper ? type.toUpperCase() : type}/${sub}; charset=utf-8`;
        assert.equal(modelFor(models, sent), exact);
        assert.equal(modelFor(models, `${type}x/${sub}`), withDefault ? fallback : undefined);
      }),
    );
  });

  it('model references survive document → AWS model URL → document', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9]{1,20}$/), fc.boolean(), (name, swagger) => {
        const ref = swagger ? `#/definitions/${name}` : `#/components/schemas/${name}`;
        const parsed = parseDocumentRef(ref);
        assert.equal(parsed, name);
        assert.deepEqual(parseModelUrl(modelUrl('api0000001', parsed)), { name, fragment: '' });
      }),
    );
  });
});
