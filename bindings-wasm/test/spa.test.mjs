// SPA token exports against the shared vector and the Rust CLI (`pocket-sign token`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  issueSpaToken, parseSpaToken, spaLoginSetCookie, spaLogoutSetCookie, spaTokenExpiresIn,
  verifySpaToken,
} from 'pocket-sign';
import { cli, cliOk, readJson, throwsKind } from './helpers.mjs';

const V = readJson('tests/vectors/spa_auth_vectors.json');
const NOW = 1_700_000_000;

test('shared vector: parse, verify, issue', () => {
  assert.deepEqual(parseSpaToken(V.token), { userId: V.user_id, expiry: V.expiry });
  assert.deepEqual(verifySpaToken(V.token, V.secret_hex, NOW), { userId: V.user_id, expiry: V.expiry });
  assert.equal(issueSpaToken(V.user_id, V.secret_hex, { now: V.expiry - 3600, maxAge: 3600 }), V.token);
  // Upper-case hex secrets decode to the same key.
  assert.deepEqual(verifySpaToken(V.token, V.secret_hex.toUpperCase(), NOW).userId, V.user_id);
});

test('spaTokenExpiresIn counts down to zero, then negative', () => {
  assert.equal(spaTokenExpiresIn(V.token, V.expiry - 10), 10);
  assert.equal(spaTokenExpiresIn(V.token, V.expiry), 0);
  assert.equal(spaTokenExpiresIn(V.token, V.expiry + 7), -7);
  // Default now: the clock.
  const expected = V.expiry - Math.floor(Date.now() / 1000);
  assert.ok(Math.abs(spaTokenExpiresIn(V.token) - expected) <= 2);
});

test('expiry boundary: valid through the expiry second', () => {
  assert.equal(verifySpaToken(V.token, V.secret_hex, V.expiry).userId, V.user_id);
  const e = throwsKind(() => verifySpaToken(V.token, V.secret_hex, V.expiry + 1), 'Expired', 'spaToken');
  assert.equal(e.expiry, V.expiry);
  assert.equal(e.now, V.expiry + 1);
});

test('error kinds', () => {
  const sig = V.token.split(':')[2];
  throwsKind(() => verifySpaToken(`other:${V.expiry}:${sig}`, V.secret_hex, NOW), 'BadSignature', 'spaToken');
  // Upper-case hex signatures are refused (the issuer always writes lowercase).
  throwsKind(() => verifySpaToken(V.token.toUpperCase(), V.secret_hex, NOW), 'BadSignature', 'spaToken');
  throwsKind(() => verifySpaToken(V.token.slice(0, -1) + 'f', V.secret_hex, NOW), 'BadSignature');
  throwsKind(() => verifySpaToken(V.token, 'ab'.repeat(31), NOW), 'InvalidSecret', 'spaToken');
  throwsKind(() => verifySpaToken(V.token, 'zz'.repeat(32), NOW), 'InvalidSecret', 'spaToken');
  for (const bad of ['', 'a:b', 'a:1', 'a:1:s:t', ':1:s', 'a:01:s', 'a:-1:s', 'a: 1:s', 'a:1e3:s',
    'x'.repeat(5000) + ':1:s']) {
    throwsKind(() => parseSpaToken(bad), 'Malformed', 'spaToken');
  }
  throwsKind(() => issueSpaToken('a:b', V.secret_hex, { now: NOW }), 'InvalidUserId', 'spaToken');
  throwsKind(() => issueSpaToken('', V.secret_hex, { now: NOW }), 'InvalidUserId', 'spaToken');
  throwsKind(() => issueSpaToken('a', V.secret_hex, { now: NOW, maxAge: 2 ** 53 - 1 }), 'Malformed', 'spaToken');
  throwsKind(() => issueSpaToken('a', V.secret_hex, { now: NOW, maxAge: '1' }), 'InvalidArgument', 'input');
  throwsKind(() => issueSpaToken('a', V.secret_hex, { now: NOW, ttl: 1 }), 'InvalidArgument', 'input');
  throwsKind(() => verifySpaToken(V.token, V.secret_hex, '1700000000'), 'InvalidArgument', 'input');
});

test('error messages never contain the secret or the signature', () => {
  const sig = V.token.split(':')[2];
  const errors = [];
  for (const fn of [
    () => verifySpaToken(`x:${V.expiry}:${sig}`, V.secret_hex, NOW),
    () => verifySpaToken(V.token, V.secret_hex, V.expiry + 1),
    () => verifySpaToken(V.token, V.secret_hex.slice(1) + 'g', NOW),
  ]) {
    try { fn(); } catch (e) { errors.push(e); }
  }
  assert.equal(errors.length, 3);
  for (const e of errors) {
    assert.ok(!e.message.includes(V.secret_hex.slice(1, 20)), e.message);
    assert.ok(!e.message.includes(sig.slice(0, 16)), e.message);
    assert.ok(!(e.stack ?? '').includes(V.secret_hex.slice(1, 20)));
  }
});

test('tokens issued by the Rust CLI verify in JS, and JS tokens verify in the CLI', () => {
  const secret = 'a5'.repeat(32);
  for (const [user, maxAge] of [['alice', 3600], ['42', 604800], ['user@example.com', 1]]) {
    const token = cliOk(['token', 'issue', user, '--now', String(NOW), '--max-age', String(maxAge)],
      { SPA_TOKEN_SECRET: secret }).trim();
    assert.deepEqual(verifySpaToken(token, secret, NOW), { userId: user, expiry: NOW + maxAge });
    assert.equal(issueSpaToken(user, secret, { now: NOW, maxAge }), token);
    throwsKind(() => verifySpaToken(token, 'b6'.repeat(32), NOW), 'BadSignature');
    throwsKind(() => verifySpaToken(token, secret, NOW + maxAge + 1), 'Expired');

    const jsToken = issueSpaToken(user, secret, { now: NOW, maxAge });
    const out = cliOk(['token', 'verify', jsToken, '--now', String(NOW), '--json'], { SPA_TOKEN_SECRET: secret });
    assert.deepEqual(JSON.parse(out), { user_id: user, expiry: NOW + maxAge, secret: 'current' });
    // And the CLI refuses it with another secret (exit code 1: did not verify).
    const bad = cli(['token', 'verify', jsToken, '--now', String(NOW)], { SPA_TOKEN_SECRET: 'b6'.repeat(32) });
    assert.equal(bad.status, 1);
  }
});

test('Set-Cookie values match the CLI', () => {
  const secret = 'a5'.repeat(32);
  const token = issueSpaToken('alice', secret, { now: NOW, maxAge: 3600 });
  const c = spaLoginSetCookie(token, 3600);
  assert.ok(c.startsWith(`pocket-spa-token=${token}; `), c);
  for (const attr of ['HttpOnly', 'Max-Age=3600', 'Path=/', 'SameSite=Lax', 'Secure']) {
    assert.ok(c.split('; ').includes(attr), `${attr} in ${c}`);
  }
  assert.match(spaLoginSetCookie(token), /Max-Age=604800/);
  assert.equal(spaLogoutSetCookie(), cliOk(['token', 'logout-cookie']).trim());
});
