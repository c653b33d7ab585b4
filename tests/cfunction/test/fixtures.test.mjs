// Every pocket.toml in tests/fixtures/pocket-toml/ (the examples of magic-pocket's best-practice
// guide and upstream fixtures) either generates functions that pass the harness or fails with its
// documented error. The table (tests/vectors/codegen/fixtures.json) is the documentation: per
// file, stage and distribution, the functions expected (behavior and what they do) or the error
// (rule and message) `pocket-sign cf-function` reports.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { viewerRequest } from '../lib/events.mjs';
import { runBoth } from '../lib/engines.mjs';
import { cli, generate, issueToken, FIXTURES, ROOT } from '../lib/tools.mjs';

// The table lives in tests/vectors/codegen/fixtures.json (also read by the Rust tests).
const VECTORS = JSON.parse(readFileSync(path.join(ROOT, 'tests', 'vectors', 'codegen', 'fixtures.json'), 'utf8'));
const TABLE = {};
for (const c of VECTORS.cases) {
  (TABLE[c.file] ??= []).push({
    distribution: c.distribution,
    stage: c.stage ?? undefined,
    error: c.error,
    warning: c.warning ?? undefined,
    functions: c.functions ? Object.fromEntries(c.functions.map((f) => [f.behavior, f.does])) : undefined,
  });
}

const SECRET = crypto.randomBytes(32).toString('hex');

async function exercise(f, kinds) {
  const kvs = { token_secret: SECRET };
  const redirect = kinds.find((k) => k.startsWith('redirect:'));
  const gate = kinds.find((k) => k.startsWith('gate:'));
  const spa = kinds.find((k) => k.startsWith('spa:'));
  const api = kinds.includes('api');
  const base = f.behavior === 'default' ? '' : f.behavior.replace(/\*.*$/, '').replace(/\/$/, '');
  const host = redirect ? redirect.slice('redirect:'.length) : 'example.com';
  const cookies = gate ? { 'pocket-spa-token': issueToken({ secretHex: SECRET, userId: '7', maxAge: 600 }) } : {};
  if (redirect) {
    const r = await runBoth(f.code, viewerRequest({ uri: `${base}/x`, query: { a: '1' }, headers: { host: `www.${host}` } }), { kvs });
    assert.equal(r.result.statusCode, 301);
    assert.equal(r.result.headers.location.value, `https://${host}${base}/x?a=1`);
  }
  if (gate) {
    const login = gate.slice('gate:'.length);
    const r = await runBoth(f.code, viewerRequest({ uri: `${base}/private/page`, query: { q: '1' }, headers: { host } }), { kvs });
    assert.equal(r.result.statusCode, 302);
    assert.equal(r.result.headers.location.value, `${login}?next=${encodeURIComponent(`${base}/private/page?q=1`)}`);
    const bad = await runBoth(f.code, viewerRequest({ uri: `${base}/p`, headers: { host }, cookies }), { kvs: {} });
    assert.equal(bad.result.statusCode, 302, 'missing KVS key fails closed');
  }
  const route = await runBoth(f.code, viewerRequest({ uri: `${base}/some/route`, headers: { host }, cookies, ip: '192.0.2.1' }), { kvs });
  assert.equal(route.result.statusCode, undefined, JSON.stringify(route.result));
  assert.equal(route.result.uri, spa ? spa.slice('spa:'.length) : `${base}/some/route`);
  const asset = await runBoth(f.code, viewerRequest({ uri: `${base}/assets/app.js`, headers: { host }, cookies }), { kvs });
  // 'guard': the encoded-slash guard of ungated S3 routes that can reach a gated prefix.
  const slash = await runBoth(f.code, viewerRequest({ uri: `${base}/admin%2Fapp.js`, headers: { host }, cookies }), { kvs });
  assert.equal(slash.result.statusCode === 403, kinds.includes('guard'), JSON.stringify(slash.result));
  assert.equal(asset.result.uri, `${base}/assets/app.js`);
  if (api) {
    assert.equal(route.result.headers['x-forwarded-host'].value, host);
    assert.equal(route.result.headers['x-pocket-viewer-ip'].value, '192.0.2.1');
  } else {
    assert.equal(route.result.headers['x-pocket-viewer-ip'], undefined);
  }
  assert.deepEqual(f.kvs_keys, gate ? ['token_secret', 'token_secret_previous'] : []);
  assert.deepEqual(f.optional_kvs_keys, gate ? ['token_secret_previous'] : []);
}

describe('pocket.toml fixtures', () => {
  it('the table covers every fixture file', () => {
    const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.toml')).sort();
    assert.deepEqual(files, Object.keys(TABLE).sort());
  });

  for (const [file, rows] of Object.entries(TABLE)) {
    for (const row of rows) {
      const label = `${file} ${row.distribution}${row.stage ? ` --stage ${row.stage}` : ''}`;
      const config = path.join(FIXTURES, file);
      if (row.error) {
        it(`${label}: fails with ${row.error.rule}`, () => {
          const args = ['cf-function', '--config', config, '--distribution', row.distribution];
          if (row.stage) args.push('--stage', row.stage);
          const r = cli(args);
          assert.equal(r.status, 2);
          assert.equal(r.stdout, '');
          assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
          assert.equal(r.stderr.trim(), `pocket-sign: ${config}: ${row.error.message}`);
        });
        continue;
      }
      it(`${label}: generates ${Object.keys(row.functions).join(', ') || 'no function'} and passes the harness`, async () => {
        const fns = generate({ config, distribution: row.distribution, stage: row.stage });
        assert.deepEqual(fns.map((f) => f.behavior), Object.keys(row.functions));
        for (const f of fns) {
          assert.equal(f.runtime, 'cloudfront-js-2.0');
          assert.ok(Buffer.byteLength(f.code) <= 10240);
          await exercise(f, row.functions[f.behavior]);
        }
        const r = cli(['cf-function', '--config', config, '--distribution', row.distribution, ...(row.stage ? ['--stage', row.stage] : [])]);
        assert.equal(r.status, 0);
        const warnings = r.stderr.split('\n').filter((l) => l.includes('warning:'));
        if (row.warning) {
          assert.equal(warnings.length, 1, r.stderr);
          assert.ok(warnings[0].includes(row.warning), warnings[0]);
        } else {
          assert.deepEqual(warnings, []);
        }
      });
    }
  }
});
