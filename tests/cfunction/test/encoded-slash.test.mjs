// Encoded separators must not route around the token gate. CloudFront matches path patterns on
// the URI as sent (`%2F` is not `/`) and S3 decodes the key, so with a default ungated route and a
// gated `/admin/*` over the same origin path, `/admin%2Fapp.js` is served by the default behavior
// from the gated key. The generated function of every ungated S3 behavior that can reach a gated
// prefix answers 403 for `%2F`, `%5C` (any case), a raw `\` and `..` segments (also `%2E`-spelt);
// checked in node's vm and QuickJS (runBoth).
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import crypto from 'node:crypto';
import { viewerRequest, behaviorFor } from '../lib/events.mjs';
import { runBoth } from '../lib/engines.mjs';
import { cli, generate, issueToken, ROOT } from '../lib/tools.mjs';

const CONFIG = path.join(ROOT, 'tests', 'cfunction', 'configs', 'encoded-slash.toml');
const SECRET = crypto.randomBytes(32).toString('hex');
const KVS = { token_secret: SECRET, basic_auth: Buffer.from('u:p').toString('base64') };

const REFUSED = [
  '/admin%2Fapp.js',
  '/admin%2fapp.js',
  '/admin%5Capp.js',
  '/admin%5capp.js',
  '/admin\\app.js',
  '/x/../admin/app.js',
  '/x/%2e%2e/admin/app.js',
  '/x/.%2E/admin/app.js',
  '/x/%2E./admin/app.js',
  '/..',
  '/assets/..%2Fadmin%2Fapp.js',
];
const ALLOWED = ['/', '/about', '/assets/app.3f2a.js', '/a..b/c.js', '/..hidden.js', '/x/.../y.js', '/a%20b.js', '/%2e/x.js', '/a%252Fb.js'];

const byBehavior = (list) => Object.fromEntries(list.map((f) => [f.behavior, f]));

async function request(fns, patterns, eventOpts, runOpts = {}) {
  const ev = viewerRequest(eventOpts);
  const b = behaviorFor(patterns, ev.request.uri);
  const f = byBehavior(fns)[b];
  if (!f) return { behavior: b, result: ev.request, noFunction: true };
  const r = await runBoth(f.code, ev, { kvs: KVS, ...runOpts });
  return { behavior: b, result: r.result };
}

function assertForbidden(res, uri) {
  assert.equal(res.result.statusCode, 403, `${uri}: ${JSON.stringify(res.result)}`);
  assert.equal(res.result.headers['cache-control'].value, 'no-store');
}

describe('encoded-slash guard: default ungated SPA + gated /admin/*', () => {
  const PATTERNS = ['/static/*', '/admin/*', '/api/*'];
  let fns;
  before(() => {
    fns = generate({ config: CONFIG, distribution: 'web' });
  });

  it('only the ungated default behavior gets the guard', () => {
    assert.deepEqual(fns.map((f) => f.behavior), ['default', '/admin/*', '/api/*']);
    const guarded = fns.filter((f) => f.code.includes('if (!pathOk(r.uri)) return'));
    assert.deepEqual(guarded.map((f) => f.behavior), ['default']);
    for (const f of fns) assert.ok(Buffer.byteLength(f.code) <= 10240);
    assert.deepEqual(fns[0].kvs_keys, []);
  });

  it('/admin%2Fapp.js reaches the default behavior and is refused (403), in both engines', async () => {
    for (const uri of REFUSED) {
      const res = await request(fns, PATTERNS, { uri });
      assert.equal(res.behavior, 'default', uri);
      assertForbidden(res, uri);
    }
  });

  it('the same object by its real path still meets the gate', async () => {
    const res = await request(fns, PATTERNS, { uri: '/admin/app.js' });
    assert.equal(res.behavior, '/admin/*');
    assert.equal(res.result.statusCode, 302);
    const token = issueToken({ secretHex: SECRET, userId: '1', maxAge: 600 });
    const ok = await request(fns, PATTERNS, { uri: '/admin/app.js', cookies: { 'pocket-spa-token': token } });
    assert.equal(ok.result.statusCode, undefined);
    assert.equal(ok.result.uri, '/admin/app.js');
  });

  it('ordinary URIs pass the guard; SPA fallback unchanged', async () => {
    for (const uri of ALLOWED) {
      const res = await request(fns, PATTERNS, { uri });
      assert.equal(res.result.statusCode, undefined, `${uri}: ${JSON.stringify(res.result)}`);
      const last = uri.substring(uri.lastIndexOf('/') + 1);
      assert.equal(res.result.uri, last.includes('.') ? uri : '/index.html', uri);
    }
  });

  it('with basic auth (stage dev) the guard runs first and stays without the token secret', async () => {
    const dev = generate({ config: CONFIG, distribution: 'web', stage: 'dev' });
    const f = byBehavior(dev).default;
    assert.deepEqual(f.kvs_keys, ['basic_auth']);
    const auth = { authorization: `Basic ${KVS.basic_auth}` };
    assertForbidden({ result: (await runBoth(f.code, viewerRequest({ uri: '/admin%2Fapp.js', headers: auth }), { kvs: KVS })).result }, 'dev');
    const ok = await runBoth(f.code, viewerRequest({ uri: '/app.js', headers: auth }), { kvs: KVS });
    assert.equal(ok.result.uri, '/app.js');
  });
});

describe('encoded-slash guard: other layouts', () => {
  it('a plain S3 default that had no function now gets a guard-only function', async () => {
    const fns = generate({ config: CONFIG, distribution: 'site' });
    assert.deepEqual(fns.map((f) => f.behavior), ['default', '/members/*']);
    const f = fns[0];
    assert.deepEqual(f.kvs_keys, []);
    assert.ok(!f.code.includes('import '));
    assert.ok(Buffer.byteLength(f.code) < 1024, String(Buffer.byteLength(f.code)));
    assertForbidden({ result: (await runBoth(f.code, viewerRequest({ uri: '/members%2Fpage.html' }))).result }, 'site');
    const ok = await runBoth(f.code, viewerRequest({ uri: '/members.html' }));
    assert.equal(ok.result.uri, '/members.html');
    // The CLI reports it like any other function.
    const r = cli(['cf-function', '--config', CONFIG, '--distribution', 'site', '--route', 'default', '--format', 'json']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout)[0].name, 'slash-site-default');
  });

  it('disjoint origin paths need no guard', () => {
    const fns = generate({ config: CONFIG, distribution: 'apart' });
    for (const f of fns) assert.ok(!f.code.includes('pathOk'), f.behavior);
  });
});
