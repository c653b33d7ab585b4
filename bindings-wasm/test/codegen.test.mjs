// generateCloudFrontFunctions against `pocket-sign cf-function --format json` on every
// pocket.toml fixture, distribution and stage: identical functions, or the same error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { generateCloudFrontFunctions, issueSpaToken, verifySpaToken } from 'pocket-sign';
import { cli, ROOT, throwsKind } from './helpers.mjs';

const FIXTURES = path.join(ROOT, 'tests', 'fixtures', 'pocket-toml');

function combos(text) {
  const dists = [...text.matchAll(/^\[cloudfront\.([A-Za-z0-9_-]+)\]/gm)].map((m) => m[1]);
  const stagesLine = text.match(/^stages\s*=\s*\[([^\]]*)\]/m);
  const stages = stagesLine ? [...stagesLine[1].matchAll(/"([^"]+)"/g)].map((m) => m[1]) : [];
  const out = [];
  for (const d of [...new Set(dists), 'missing-distribution']) {
    for (const s of [undefined, ...stages]) out.push([d, s]);
  }
  return out;
}

const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.toml')).sort();

test('there are fixtures to compare', () => {
  assert.ok(files.length >= 5, files.join(', '));
});

let generatedTotal = 0;
for (const f of files) {
  test(`fixture ${f}: same output as the CLI`, () => {
    const file = path.join(FIXTURES, f);
    const text = readFileSync(file, 'utf8');
    for (const [dist, stage] of combos(text)) {
      const args = ['cf-function', '--config', file, '--distribution', dist, '--format', 'json'];
      if (stage) args.push('--stage', stage);
      const r = cli(args);
      const opts = { distribution: dist, file };
      if (stage) opts.stage = stage;
      const label = `${f} ${dist} ${stage ?? '(no stage)'}`;
      if (r.status === 0) {
        const expected = JSON.parse(r.stdout).map((x) => ({
          name: x.name, runtime: x.runtime, behavior: x.behavior, code: x.code, kvsKeys: x.kvs_keys,
          optionalKvsKeys: x.optional_kvs_keys,
        }));
        assert.deepEqual(generateCloudFrontFunctions(text, opts), expected, label);
        generatedTotal += expected.length;
      } else {
        let err;
        try { generateCloudFrontFunctions(text, opts); } catch (e) { err = e; }
        assert.ok(err, `${label}: the CLI failed (${r.stderr.trim()}) but JS did not`);
        assert.equal(err.domain, 'codegen', label);
        // The CLI prints "pocket-sign: <message>": the same sentence(s).
        assert.ok(r.stderr.includes(err.message.split('\n')[0]), `${label}: ${err.message} vs ${r.stderr}`);
      }
    }
  });
}

test('functions were actually generated across the fixtures', () => {
  assert.ok(generatedTotal >= 5, `${generatedTotal} functions`);
});

const GATED = `
[awscontainer.secrets.managed]
SPA_TOKEN_SECRET = { type = "spa_token_secret" }
[cloudfront.web]
token_secret = "SPA_TOKEN_SECRET"
routes = [
  { is_default = true, is_spa = true, require_token = true },
  { path_pattern = "/static/*", is_versioned = true },
]
`;

test('route selection and the token gate shape', () => {
  const all = generateCloudFrontFunctions(GATED, { distribution: 'web' });
  assert.equal(all.length, 1);
  const [gate] = all;
  assert.equal(gate.runtime, 'cloudfront-js-2.0');
  assert.equal(gate.behavior, 'default');
  assert.deepEqual(gate.kvsKeys, ['token_secret', 'token_secret_previous']);
  assert.deepEqual(gate.optionalKvsKeys, ['token_secret_previous']);
  assert.match(gate.code, /pocket-spa-token/);
  assert.ok(Buffer.byteLength(gate.code) <= 10240);
  assert.deepEqual(generateCloudFrontFunctions(GATED, { distribution: 'web', route: 'default' }), all);
  assert.deepEqual(generateCloudFrontFunctions(GATED, { distribution: 'web', route: '/static/*' }), []);
  throwsKind(() => generateCloudFrontFunctions(GATED, { distribution: 'web', route: '/nope/*' }), 'UnknownRoute', 'codegen');
  // A token the package issues is one the gate's secret format accepts (64 hex, HMAC-SHA256).
  const secret = 'c7'.repeat(32);
  const token = issueSpaToken('alice', secret, { now: 1700000000, maxAge: 60 });
  assert.equal(verifySpaToken(token, secret, 1700000000).userId, 'alice');
});

test('codegen error kinds', () => {
  throwsKind(() => generateCloudFrontFunctions('[[', { distribution: 'web' }), 'Toml', 'codegen');
  throwsKind(() => generateCloudFrontFunctions(GATED, { distribution: 'api' }), 'UnknownDistribution', 'codegen');
  throwsKind(() => generateCloudFrontFunctions(GATED, { distribution: 'web', stage: 5 }), 'InvalidArgument', 'input');
  throwsKind(() => generateCloudFrontFunctions(GATED, {}), 'InvalidArgument', 'input');
  const noSecret = '[cloudfront.web]\nroutes = [{ is_default = true, is_spa = true, require_token = true }]\n';
  const e = throwsKind(() => generateCloudFrontFunctions(noSecret, { distribution: 'web', file: 'my.toml' }), 'Constraints', 'codegen');
  assert.ok(Array.isArray(e.violations) && e.violations.length >= 1);
  assert.equal(e.violations[0].file, 'my.toml');
  assert.equal(e.violations[0].distribution, 'web');
  assert.deepEqual(e.rules, e.violations.map((v) => v.rule));
  assert.match(e.message, /^my\.toml: \[cloudfront\.web\]/);
});
