// `pocket-sign cf-function` output forms: js (one or several), json, --out DIR, --route, errors.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cli, generate, ROOT } from '../lib/tools.mjs';

const CONFIG = path.join(ROOT, 'tests', 'cfunction', 'configs', 'harness.toml');
const base = ['cf-function', '--config', CONFIG, '--distribution', 'web'];

describe('cf-function CLI', () => {
  it('--route default --format js prints exactly that function', () => {
    const [f] = generate({ config: CONFIG, distribution: 'web', route: 'default' });
    const r = cli([...base, '--route', 'default']);
    assert.equal(r.status, 0);
    assert.equal(r.stdout, f.code);
    assert.ok(f.code.startsWith("import crypto from 'crypto';\nimport cf from 'cloudfront';\n"));
  });

  it('several functions in js are separated by marker lines naming behavior and KVS keys', () => {
    const r = cli(base);
    assert.equal(r.status, 0);
    const markers = r.stdout.split('\n').filter((l) => l.startsWith('// ===== pocket-sign function '));
    assert.deepEqual(markers, [
      '// ===== pocket-sign function harness-web-default behavior default kvs_keys token_secret,token_secret_previous? =====',
      '// ===== pocket-sign function harness-web-admin behavior /admin/* kvs_keys token_secret,token_secret_previous? =====',
      '// ===== pocket-sign function harness-web-docs behavior /docs* kvs_keys - =====',
      '// ===== pocket-sign function harness-web-api behavior /api/* kvs_keys - =====',
    ]);
  });

  it('json has name, runtime, behavior, code, kvs_keys, optional_kvs_keys', () => {
    const fns = generate({ config: CONFIG, distribution: 'web', stage: 'dev' });
    for (const f of fns) assert.deepEqual(Object.keys(f).sort(), ['behavior', 'code', 'kvs_keys', 'name', 'optional_kvs_keys', 'runtime']);
    assert.equal(fns[0].name, 'harness-dev-web-default');
    assert.deepEqual(fns[0].kvs_keys, ['basic_auth', 'token_secret', 'token_secret_previous']);
    assert.deepEqual(fns[0].optional_kvs_keys, ['token_secret_previous']);
  });

  for (const format of ['js', 'json']) {
    it(`--out DIR writes one ${format} file per function`, () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'cf-out-'));
      try {
        const r = cli([...base, '--format', format, '--out', dir]);
        assert.equal(r.status, 0, r.stderr);
        const fns = generate({ config: CONFIG, distribution: 'web' });
        assert.deepEqual(readdirSync(dir).sort(), fns.map((f) => `${f.name}.${format}`).sort());
        assert.deepEqual(r.stdout.trim().split('\n').sort(), fns.map((f) => path.join(dir, `${f.name}.${format}`)).sort());
        for (const f of fns) {
          const body = readFileSync(path.join(dir, `${f.name}.${format}`), 'utf8');
          if (format === 'js') assert.equal(body, f.code);
          else assert.deepEqual(JSON.parse(body), f);
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  it('a behavior without a function prints nothing and says so on stderr', () => {
    const r = cli([...base, '--route', '/static/*', '--format', 'json']);
    assert.equal(r.status, 0);
    assert.deepEqual(JSON.parse(r.stdout), []);
    assert.match(r.stderr, /needs no viewer-request function for route \/static\/\*/);
  });

  it('usage errors exit 2 with one sentence', () => {
    const cases = [
      [[...base.slice(0, 3), '--distribution', 'nope'], 'no distribution "nope" in the configuration; defined: web'],
      [[...base, '--route', '/nope/*'], 'distribution "web" has no route "/nope/*"; use one of: default, /static/*, /admin/*, /docs*, /api/*'],
      [[...base, '--stage', 'stg'], 'stage "stg" is not one of [general] stages (dev, prd); pass one of those to --stage'],
      [['cf-function', '--config', '/nonexistent/pocket.toml', '--distribution', 'web'], 'cannot read /nonexistent/pocket.toml'],
    ];
    for (const [args, msg] of cases) {
      const r = cli(args);
      assert.equal(r.status, 2, args.join(' '));
      assert.equal(r.stdout, '');
      assert.ok(r.stderr.includes(msg), r.stderr);
    }
  });
});
