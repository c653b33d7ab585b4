// The generated viewer-request functions, run in node (vm with CloudFront-only globals) and
// QuickJS, against the token-gate cases: tokens from the Rust core (or the Python stdlib
// reimplementation until `pocket-sign token issue` exists) and upstream's shared vector pass the
// gate; everything else redirects to login_path with the right `next`.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { viewerRequest, behaviorFor } from '../lib/events.mjs';
import { runBoth } from '../lib/engines.mjs';
import { runNode } from '../lib/node-runner.mjs';
import { generate, issueToken, issuePython, issuerName, coreVerify, ROOT } from '../lib/tools.mjs';

const CONFIG = path.join(ROOT, 'tests', 'cfunction', 'configs', 'harness.toml');
const PATTERNS = ['/static/*', '/admin/*', '/docs*', '/api/*'];
const SECRET = crypto.randomBytes(32).toString('hex');
const OTHER_SECRET = crypto.randomBytes(32).toString('hex');
const NOW_S = Math.floor(Date.now() / 1000);
const KVS = { token_secret: SECRET };

let fns; // stage none
const byBehavior = (list) => Object.fromEntries(list.map((f) => [f.behavior, f]));

async function request(list, eventOpts, runOpts = {}) {
  const ev = viewerRequest(eventOpts);
  const b = behaviorFor(PATTERNS, ev.request.uri);
  const f = byBehavior(list)[b];
  if (!f) return { behavior: b, result: ev.request, noFunction: true };
  const r = await runBoth(f.code, ev, { kvs: KVS, nowMs: NOW_S * 1000, ...runOpts });
  return { behavior: b, result: r.result };
}

function assertLogin(res, login, next) {
  assert.equal(res.result.statusCode, 302, JSON.stringify(res.result));
  const loc = res.result.headers.location.value;
  const prefix = `${login}?next=`;
  assert.ok(loc.startsWith(prefix), loc);
  const encoded = loc.slice(prefix.length);
  assert.equal(encoded, encodeURIComponent(next), `next of ${loc}`);
  assert.equal(decodeURIComponent(encoded), next);
  assert.equal(res.result.headers['cache-control'].value, 'no-store');
}

function assertPassed(res, uri) {
  assert.equal(res.result.statusCode, undefined, JSON.stringify(res.result));
  assert.equal(res.result.uri, uri);
}

describe(`token gate (tokens from ${issuerName()})`, () => {
  let good;
  before(() => {
    fns = generate({ config: CONFIG, distribution: 'web' });
    good = issueToken({ secretHex: SECRET, userId: '42', maxAge: 3600 });
  });

  it('generates one function per behavior that needs one', () => {
    assert.deepEqual(fns.map((f) => f.behavior), ['default', '/admin/*', '/docs*', '/api/*']);
    assert.deepEqual(fns[0].kvs_keys, ['token_secret', 'token_secret_previous']);
    assert.deepEqual(fns[0].optional_kvs_keys, ['token_secret_previous']);
    for (const f of fns) assert.equal(f.runtime, 'cloudfront-js-2.0');
  });

  it('valid token passes; SPA route rewritten to the fallback, assets untouched', async () => {
    const t = { 'pocket-spa-token': good };
    assertPassed(await request(fns, { uri: '/dashboard', cookies: t }), '/index.html');
    assertPassed(await request(fns, { uri: '/dashboard/', query: { tab: '1' }, cookies: t }), '/index.html');
    assertPassed(await request(fns, { uri: '/assets/app.3f2a.js', cookies: t }), '/assets/app.3f2a.js');
    assertPassed(await request(fns, { uri: '/favicon.ico', cookies: t }), '/favicon.ico');
  });

  it('the token issued by the core agrees with an independent HMAC', () => {
    const [u, e, sig] = good.split(':');
    const want = crypto.createHmac('sha256', Buffer.from(SECRET, 'hex')).update(`${u}:${e}`).digest('hex');
    assert.equal(sig, want);
  });

  it("upstream's shared vector (magic-pocket Python) passes until its expiry", async () => {
    const v = JSON.parse(readFileSync(path.join(ROOT, 'tests', 'vectors', 'spa_auth_vectors.json'), 'utf8'));
    const opts = { kvs: { token_secret: v.secret_hex } };
    const cookies = { [v.cookie_name]: v.token };
    assertPassed(await request(fns, { uri: '/x', cookies }, opts), '/index.html');
    const after = await request(fns, { uri: '/x', cookies }, { ...opts, nowMs: (v.expiry + 1) * 1000 });
    assertLogin(after, '/login', '/x');
    assertPassed(await request(fns, { uri: '/x', cookies }, { ...opts, nowMs: v.expiry * 1000 }), '/index.html');
  });

  it('python stdlib token with explicit expiry passes (cross-implementation)', async () => {
    const t = issuePython({ secretHex: SECRET, userId: 'user@example.com', expiry: NOW_S + 60 });
    assertPassed(await request(fns, { uri: '/a', cookies: { 'pocket-spa-token': t } }), '/index.html');
    // Django quotes cookie values with '@'; the gate accepts the quoted form.
    assertPassed(await request(fns, { uri: '/a', cookies: { 'pocket-spa-token': `"${t}"` } }), '/index.html');
  });

  it('expired token redirects with next', async () => {
    const t = issueToken({ secretHex: SECRET, userId: '42', maxAge: 60 });
    const res = await request(fns, { uri: '/dashboard', cookies: { 'pocket-spa-token': t } }, { nowMs: (NOW_S + 3600) * 1000 });
    assertLogin(res, '/login', '/dashboard');
  });

  it('tampered tokens redirect (signature, user id, expiry)', async () => {
    const [u, e, sig] = good.split(':');
    const flip = (c) => (c === '0' ? '1' : '0');
    const cases = [
      `${u}:${e}:${sig.slice(0, -1)}${flip(sig.at(-1))}`,
      `${u}:${e}:${flip(sig[0])}${sig.slice(1)}`,
      `43:${e}:${sig}`,
      `${u}:${Number(e) + 1}:${sig}`,
    ];
    for (const t of cases) {
      assertLogin(await request(fns, { uri: '/p', cookies: { 'pocket-spa-token': t } }), '/login', '/p');
    }
  });

  it('missing cookie redirects; other cookies are ignored', async () => {
    assertLogin(await request(fns, { uri: '/p' }), '/login', '/p');
    assertLogin(await request(fns, { uri: '/p', cookies: { sessionid: 'x', 'pocket-spa-token-x': good } }), '/login', '/p');
  });

  it('malformed tokens redirect: parts, digits, hex, sizes', async () => {
    const [u, e, sig] = good.split(':');
    const cases = [
      '', 'garbage', `${u}:${e}`, `${u}:${e}:${sig}:extra`, `${u}:${e}:${sig}:`, `:${e}:${sig}`,
      `${u}:+${e}:${sig}`, `${u}: ${e}:${sig}`, `${u}:${e}.0:${sig}`, `${u}:1e10:${sig}`, `${u}::${sig}`,
      `${u}:${e}:${sig.toUpperCase()}`, `${u}:${e}:${sig.slice(0, 63)}`, `${u}:${e}:${sig}0`,
      `${'x'.repeat(2000)}:${e}:${sig}`, `${u}:${'9'.repeat(16)}:${sig}`,
    ];
    for (const t of cases) {
      assertLogin(await request(fns, { uri: '/m', cookies: { 'pocket-spa-token': t } }), '/login', '/m');
      // The Rust core agrees (when its CLI is available).
      const status = coreVerify(t, SECRET, NOW_S);
      if (status !== null) assert.notEqual(status, 0, `core accepted ${t.slice(0, 80)}`);
    }
    const ok = coreVerify(good, SECRET, NOW_S);
    if (ok !== null) assert.equal(ok, 0, 'core accepts the good token');
  });

  it('a 4-part token whose first three parts verify is rejected', async () => {
    const res = await request(fns, { uri: '/m', cookies: { 'pocket-spa-token': `${good}:x` } });
    assertLogin(res, '/login', '/m');
  });

  it('token signed with another secret redirects', async () => {
    const t = issueToken({ secretHex: OTHER_SECRET, userId: '42', maxAge: 3600 });
    assertLogin(await request(fns, { uri: '/w', cookies: { 'pocket-spa-token': t } }), '/login', '/w');
  });

  it('the key is the hex-decoded secret, not the hex text', async () => {
    const [u, e] = good.split(':');
    const textKeySig = crypto.createHmac('sha256', SECRET).update(`${u}:${e}`).digest('hex');
    assertLogin(await request(fns, { uri: '/k', cookies: { 'pocket-spa-token': `${u}:${e}:${textKeySig}` } }), '/login', '/k');
  });

  it('KVS failure, missing key or malformed secret fail closed', async () => {
    const cookies = { 'pocket-spa-token': good };
    assertLogin(await request(fns, { uri: '/k', cookies }, { kvsFail: true }), '/login', '/k');
    assertLogin(await request(fns, { uri: '/k', cookies }, { kvs: {} }), '/login', '/k');
    assertLogin(await request(fns, { uri: '/k', cookies }, { kvs: { token_secret: SECRET.slice(2) } }), '/login', '/k');
    assertLogin(await request(fns, { uri: '/k', cookies }, { kvs: { token_secret: 'zz'.repeat(32) } }), '/login', '/k');
    // Whitespace around the stored value is tolerated.
    assertPassed(await request(fns, { uri: '/k', cookies }, { kvs: { token_secret: ` ${SECRET}\n` } }), '/index.html');
  });

  it('signature comparison runs over the full length (no early exit)', async () => {
    const [u, e, sig] = good.split(':');
    const ev = viewerRequest({ uri: '/c', cookies: { 'pocket-spa-token': `${u}:${e}:${sig[0] === 'a' ? 'b' : 'a'}${sig.slice(1)}` } });
    const first = await runNode(fns[0].code, ev, { kvs: KVS, countCharCodeAt: true });
    const evOk = viewerRequest({ uri: '/c', cookies: { 'pocket-spa-token': good } });
    const ok = await runNode(fns[0].code, evOk, { kvs: KVS, countCharCodeAt: true });
    assert.equal(first.result.statusCode, 302);
    assert.equal(ok.result.statusCode, undefined);
    assert.ok(first.charCodeAtCalls >= 128, `compared ${first.charCodeAtCalls} chars`);
    assert.equal(first.charCodeAtCalls, ok.charCodeAtCalls, 'same work for a first-char mismatch and a match');
  });

  it('next keeps the query string (multi-values, encoded values), URL-encoded', async () => {
    const res = await request(fns, { uri: '/orders/7', query: { tab: 'items', x: ['1', '2'], q: 'two%20words', flag: '' } });
    assertLogin(res, '/login', '/orders/7?tab=items&x=1&x=2&q=two%20words&flag');
    const res2 = await request(fns, { uri: '/s', query: { q: 'a&b=c#d' } });
    assertLogin(res2, '/login', '/s?q=a%26b%3Dc%23d');
  });

  it('next is always a same-site path (no //host, backslash, encoded slashes, control chars)', async () => {
    const cases = [
      ['//evil.example/x', '/evil.example/x'],
      ['/\\evil.example/x', '/evil.example/x'],
      ['/%2F%2Fevil.example', '/evil.example'],
      ['/%5Cevil.example', '/evil.example'],
      ['/%2f/evil.example', '/evil.example'],
      ['/\t/evil.example', '/evil.example'],
      ['/a//b', '/a/b'],
      ['/ok/path', '/ok/path'],
    ];
    for (const [uri, next] of cases) {
      const res = await request(fns, { uri });
      assertLogin(res, '/login', next);
      const dec = decodeURIComponent(res.result.headers.location.value.split('?next=')[1]);
      assert.ok(dec.startsWith('/') && !dec.startsWith('//') && !dec.includes('\\'), dec);
      assert.equal(new URL(dec, 'https://example.com').host, 'example.com');
    }
  });

  it('login_path never redirects to itself', async () => {
    assertPassed(await request(fns, { uri: '/login' }), '/index.html');
    assertPassed(await request(fns, { uri: '/login/', query: { next: '%2Fx' } }), '/index.html');
    assertLogin(await request(fns, { uri: '/login2' }), '/login', '/login2');
  });

  it('several pocket-spa-token cookies: any valid one passes', async () => {
    const stale = issueToken({ secretHex: OTHER_SECRET, userId: '42', maxAge: 3600 });
    assertPassed(await request(fns, { uri: '/m', cookies: { 'pocket-spa-token': [stale, good] } }), '/index.html');
  });

  it('nested prefix routes: own fallback, default login_path, asset vs SPA route', async () => {
    const t = { 'pocket-spa-token': good };
    assertLogin(await request(fns, { uri: '/admin/users', query: { page: '2' } }), '/api/auth/login', '/admin/users?page=2');
    assertPassed(await request(fns, { uri: '/admin/users', cookies: t }), '/admin/admin.html');
    assertPassed(await request(fns, { uri: '/admin/', cookies: t }), '/admin/admin.html');
    assertPassed(await request(fns, { uri: '/admin/app.js', cookies: t }), '/admin/app.js');
    // /docs* is an open SPA: no gate, own fallback; a dotted last segment is an asset.
    assertPassed(await request(fns, { uri: '/docs/guide/intro' }), '/docs/index.html');
    assertPassed(await request(fns, { uri: '/docs.pdf' }), '/docs.pdf');
    // /static/* needs no function.
    const s = await request(fns, { uri: '/static/app.css' });
    assert.equal(s.noFunction, true);
    assert.equal(s.behavior, '/static/*');
  });

  it('API route sets x-forwarded-host and x-pocket-viewer-ip, overriding spoofed values', async () => {
    const res = await request(fns, { uri: '/api/users', headers: { host: 'example.com', 'x-pocket-viewer-ip': '1.2.3.4', 'x-forwarded-host': 'evil.example' }, ip: '198.51.100.9' });
    assert.equal(res.behavior, '/api/*');
    assert.equal(res.result.uri, '/api/users');
    assert.equal(res.result.headers['x-forwarded-host'].value, 'example.com');
    assert.equal(res.result.headers['x-pocket-viewer-ip'].value, '198.51.100.9');
  });
});

describe('host redirect (stage prd)', () => {
  let prd;
  before(() => { prd = generate({ config: CONFIG, distribution: 'web', stage: 'prd' }); });

  it('redirects other hosts to https://domain with path and query, on every behavior', async () => {
    const res = await request(prd, { uri: '/p/q', query: { a: '1', b: ['x', 'y'] }, headers: { host: 'www.example.com' } });
    assert.equal(res.result.statusCode, 301);
    assert.equal(res.result.headers.location.value, 'https://example.com/p/q?a=1&b=x&b=y');
    const api = await request(prd, { uri: '/api/x', headers: { host: 'WWW.Example.com' } });
    assert.equal(api.result.headers.location.value, 'https://example.com/api/x');
    const st = await request(prd, { uri: '/static/a.css', headers: { host: 'www.example.com' } });
    assert.equal(st.result.statusCode, 301);
  });

  it('the canonical host goes on to the gate', async () => {
    assertLogin(await request(prd, { uri: '/p', headers: { host: 'example.com' } }), '/login', '/p');
    const t = issueToken({ secretHex: SECRET, userId: '1', maxAge: 60 });
    assertPassed(await request(prd, { uri: '/p', headers: { host: 'example.com' }, cookies: { 'pocket-spa-token': t } }), '/index.html');
  });
});

describe('basic auth (stage dev)', () => {
  let dev;
  const cred = Buffer.from('staff:s3cret').toString('base64');
  before(() => { dev = generate({ config: CONFIG, distribution: 'web', stage: 'dev' }); });

  it('401 with WWW-Authenticate without or with wrong credentials', async () => {
    for (const headers of [{}, { authorization: `Basic ${Buffer.from('staff:nope').toString('base64')}` }, { authorization: cred }]) {
      const res = await request(dev, { uri: '/p', headers }, { kvs: { ...KVS, basic_auth: cred } });
      assert.equal(res.result.statusCode, 401, JSON.stringify(headers));
      assert.equal(res.result.headers['www-authenticate'].value, 'Basic realm="Restricted"');
    }
  });

  it('right credentials go on to the gate; stored with or without the Basic prefix', async () => {
    for (const stored of [cred, `Basic ${cred}`]) {
      const res = await request(dev, { uri: '/p', headers: { authorization: `Basic ${cred}` } }, { kvs: { ...KVS, basic_auth: stored } });
      assertLogin(res, '/login', '/p');
    }
    const st = await request(dev, { uri: '/static/a.css', headers: { authorization: `Basic ${cred}` } }, { kvs: { basic_auth: cred } });
    assertPassed(st, '/static/a.css');
  });

  it('fails closed when the KVS has no basic_auth or cannot be read', async () => {
    const h = { authorization: `Basic ${cred}` };
    assert.equal((await request(dev, { uri: '/static/a', headers: h }, { kvs: {} })).result.statusCode, 401);
    assert.equal((await request(dev, { uri: '/static/a', headers: h }, { kvsFail: true })).result.statusCode, 401);
  });

  it('API routes are not behind basic auth', async () => {
    const res = await request(dev, { uri: '/api/x' }, { kvs: {} });
    assert.equal(res.result.uri, '/api/x');
  });
});
