// `pocket-sign/spa` (the small browser entry, wasm inlined, explicit init()) and the additions
// shared with the full entry: the PocketSignError class, the companion session cookie, claim
// order, the key-keeping verifiers (JwksVerifier, SpaTokenVerifier).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as spa from 'pocket-sign/spa';
import * as full from 'pocket-sign';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PKG, readJson, throwsKind, throwsAwsClass } from './helpers.mjs';

const SECRET = '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';
const TOKEN = 'vector-user:9999999999:1d9ce3921b69e57a4562a294cfa678b3ff4938b49b0369d646185d9ef24567e2';
// {"alg":"RS256","kid":"k1"} . {"sub":"s-1","exp":4102444800,"aud":"a","iat":1700000000} . "sig"
const ID_TOKEN = 'eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJzLTEiLCJleHAiOjQxMDI0NDQ4MDAsImF1ZCI6ImEiLCJpYXQiOjE3MDAwMDAwMDB9.c2ln';

test('before init(): NotInitialized, not a crash deep inside', () => {
  // This file is its own process under `node --test`: nothing initialised the SPA entry yet.
  assert.equal(spa.isInitialized(), false);
  const e = throwsKind(() => spa.session('a=b'), 'NotInitialized', 'load');
  assert.ok(e instanceof spa.PocketSignError);
  assert.match(e.message, /init\(\)/);
});

test('init() is idempotent and resolves', async () => {
  const p = spa.init();
  assert.equal(spa.init(), p);
  await p;
  assert.equal(spa.isInitialized(), true);
});

test('every function of the SPA build is exported and guarded', async () => {
  const glue = await import(pathToFileURL(path.join(PKG, 'spa', 'pocket_sign_spa.js')).href);
  const names = ['session', 'sessionExpiresIn', 'decodeJwt', 'jwtExpiresIn', 'resourceMatches', 'version'];
  for (const n of names) assert.equal(typeof spa[n], 'function', n);
  const exported = Object.keys(glue).filter((k) => typeof glue[k] === 'function' && k !== 'default' && k !== 'initSync');
  assert.deepEqual(exported.sort(), [...names].sort());
  // The SPA build leaves out what needs a secret or is for servers, and the token parsers (the
  // token cookie is HttpOnly: an SPA reads session()).
  for (const n of ['verifySpaToken', 'issueSpaToken', 'verifyJwt', 'JwksVerifier', 'generateCloudFrontFunctions',
    'parseSpaToken', 'spaTokenExpiresIn']) {
    assert.equal(spa[n], undefined, n);
  }
});

test('one PocketSignError class for both entries (instanceof works)', () => {
  assert.equal(spa.PocketSignError, full.PocketSignError);
  const e = throwsKind(() => full.parseSpaToken('a:b'), 'Malformed', 'spaToken');
  assert.ok(e instanceof spa.PocketSignError);
  assert.ok(e instanceof Error);
  assert.equal(e.name, 'PocketSignError');
  const e2 = throwsKind(() => spa.decodeJwt('x'), 'Parse', 'jwt');
  assert.ok(e2 instanceof full.PocketSignError);
});

test('session() reads the companion cookie; null when logged out', () => {
  const cookies = 'csrftoken=abc; pocket-spa-session=al%20ice:1700000600; theme=dark';
  assert.deepEqual(spa.session(cookies), { userId: 'al ice', expiry: 1700000600 });
  assert.equal(spa.sessionExpiresIn(1700000000, cookies), 600);
  assert.equal(spa.sessionExpiresIn(1700000601, cookies), -1);
  assert.equal(spa.session('csrftoken=abc'), null);
  assert.equal(spa.sessionExpiresIn(undefined, ''), null);
  // No document in node: document.cookie is taken as empty.
  assert.equal(spa.session(), null);
  throwsKind(() => spa.session('pocket-spa-session=alice'), 'Malformed', 'spaToken');
  throwsKind(() => spa.session(5), 'InvalidArgument', 'input');
  assert.deepEqual(full.session(cookies), spa.session(cookies));
});

test('parseSpaToken (full entry) refuses a signature that is not 64 lowercase hex', () => {
  assert.deepEqual(full.parseSpaToken(TOKEN), { userId: 'vector-user', expiry: 9999999999 });
  const sig = TOKEN.split(':')[2];
  for (const bad of ['alice:1796176131:', `alice:1796176131:${sig.toUpperCase()}`,
    `alice:1796176131:${sig.slice(1)}`, `alice:1796176131:${sig}0`]) {
    throwsKind(() => full.parseSpaToken(bad), 'Malformed', 'spaToken');
  }
});

test('decodeJwt keeps the claims in token order; jwtExpiresIn', () => {
  const d = spa.decodeJwt(ID_TOKEN);
  assert.equal(d.verified, false);
  assert.deepEqual(Object.keys(d.payload), ['sub', 'exp', 'aud', 'iat']);
  assert.deepEqual(Object.keys(d.header), ['alg', 'kid']);
  assert.deepEqual(Object.keys(full.decodeJwt(ID_TOKEN).payload), ['sub', 'exp', 'aud', 'iat']);
  assert.equal(spa.jwtExpiresIn(ID_TOKEN, 4102444700), 100);
  // {"alg":"RS256"} . {"sub":"x"}: no exp.
  const noExp = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln';
  assert.equal(spa.jwtExpiresIn(noExp, 0), null);
});

test('resourceMatches in the SPA entry', () => {
  assert.equal(spa.resourceMatches('https://d.example/media/*', 'https://d.example/media/a/b.mp4'), true);
  assert.equal(spa.resourceMatches('https://d.example/media/?.mp4', 'https://d.example/media/ab.mp4'), false);
});

test('JwksVerifier keeps the parsed JWKS and gives the same answers as verifyJwt', () => {
  const V = readJson('tests/vectors/jwt/jwt_vectors.json');
  const cases = V.cases.filter((c) => c.verifier.type === 'jwks' && c.options.issuers);
  const valid = cases.find((c) => c.expected === 'valid');
  const names = { issuers: 'issuer', audiences: 'audience', token_use: 'tokenUse', client_ids: 'clientId',
    grace_seconds: 'graceSeconds', max_age_seconds: 'maxAgeSeconds', groups: 'groups', scopes: 'scope' };
  let checked = 0;
  for (const c of cases) {
    const opts = Object.fromEntries(Object.entries(c.options).map(([k, v]) => [names[k], v]));
    let verifier;
    try {
      verifier = new full.JwksVerifier(V.jwks, opts);
    } catch (e) {
      continue; // options the one-shot path also refuses
    }
    assert.ok(verifier.keyCount >= 1);
    if (c.expected === 'valid') {
      const claims = verifier.verify(c.token, c.now);
      assert.deepEqual(claims, full.verifyJwt(c.token, V.jwks, { ...opts, now: c.now }));
      assert.deepEqual(Object.keys(claims), Object.keys(full.decodeJwt(c.token).payload));
    } else {
      throwsAwsClass(() => verifier.verify(c.token, c.now), c.expected);
    }
    checked += 1;
    verifier.free();
  }
  assert.ok(checked >= 20, `${checked} cases`);
  assert.ok(valid);
  throwsKind(() => new full.JwksVerifier('{"nokeys":1}', { issuer: 'i' }), 'JwksInvalid', 'jwt');
  throwsKind(() => new full.JwksVerifier(V.jwks, { issuer: 'i', clientID: 'typo' }), 'InvalidArgument', 'input');
});

test('SpaTokenVerifier keeps the key; same results as verifySpaToken', () => {
  const v = new full.SpaTokenVerifier(SECRET);
  assert.deepEqual(v.verify(TOKEN, 1700000000), full.verifySpaToken(TOKEN, SECRET, 1700000000));
  const e = throwsKind(() => v.verify(TOKEN, 10000000000), 'Expired', 'spaToken');
  assert.equal(e.expiry, 9999999999);
  throwsKind(() => v.verify(TOKEN.replace('vector-user', 'vector-usex'), 0), 'BadSignature', 'spaToken');
  throwsKind(() => new full.SpaTokenVerifier('abc'), 'InvalidSecret', 'spaToken');
  v.free();
});

// The budget of pocket-sign/spa: 40 KB gzip for JS + wasm, counted in decimal kilobytes.
const SPA_CEILING = 40_000;

test('pocket-sign/spa stays within 40 KB gzip (JS + wasm), and the README states the measured sizes', async () => {
  const { readFileSync } = await import('node:fs');
  const sizes = JSON.parse(readFileSync(path.join(PKG, 'sizes.json'), 'utf8'));
  assert.ok(sizes.spa.gzipJsAndWasm <= SPA_CEILING, `pocket-sign/spa: ${sizes.spa.gzipJsAndWasm} bytes gzip`);
  const readme = readFileSync(path.join(PKG, 'README.md'), 'utf8');
  const patterns = { spa: /gzip for JS \+\s+wasm \(([0-9,]+) bytes/, full: /\([0-9.]+ KB gzip, ([0-9,]+) bytes\)/ };
  for (const [entry, measured] of [['spa', sizes.spa.gzipJsAndWasm], ['full', sizes.full.gzipJsAndWasm]]) {
    const m = patterns[entry].exec(readme);
    assert.ok(m, `README: no measured size for ${entry}`);
    const stated = Number(m[1].replaceAll(',', ''));
    assert.ok(Math.abs(stated - measured) / measured < 0.03, `README states ${stated} bytes for ${entry}, the build measured ${measured}`);
  }
});
