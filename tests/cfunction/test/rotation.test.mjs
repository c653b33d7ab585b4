// SPA token secret rotation at the edge: the generated gate reads the optional KVS key
// `token_secret_previous` next to `token_secret`. Simulates a rotation end to end in node (vm)
// and QuickJS: issue under the old secret, rotate (new secret current, old one previous), the
// old token still passes; remove the previous key, the old token is refused. The same steps run
// through `pocket-sign token verify` with SPA_TOKEN_SECRET_PREVIOUS.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import crypto from 'node:crypto';
import { viewerRequest } from '../lib/events.mjs';
import { runBoth } from '../lib/engines.mjs';
import { generate, issueToken, BIN, ROOT } from '../lib/tools.mjs';

const CONFIG = path.join(ROOT, 'tests', 'cfunction', 'configs', 'harness.toml');
const OLD = crypto.randomBytes(32).toString('hex');
const NEW = crypto.randomBytes(32).toString('hex');
const THIRD = crypto.randomBytes(32).toString('hex');
const NOW_S = Math.floor(Date.now() / 1000);

let gateFn;
let oldToken;
let newToken;

async function passes(token, kvs, runOpts = {}) {
  const ev = viewerRequest({ uri: '/dashboard', cookies: { 'pocket-spa-token': token } });
  const r = await runBoth(gateFn.code, ev, { kvs, nowMs: NOW_S * 1000, ...runOpts });
  // An absent token_secret_previous is checked with exists(): never a failed get().
  if (Object.prototype.hasOwnProperty.call(kvs, 'token_secret') && !runOpts.kvsFail) {
    assert.deepEqual(r.kvsMisses, [], 'the gate took an exception path for an absent key');
  }
  if (r.result.statusCode === 302) return false;
  assert.equal(r.result.statusCode, undefined, JSON.stringify(r.result));
  assert.equal(r.result.uri, '/index.html');
  return true;
}

function cliVerify(token, current, previous) {
  const env = { ...process.env, SPA_TOKEN_SECRET: current };
  delete env.SPA_TOKEN_SECRET_PREVIOUS;
  if (previous !== undefined) env.SPA_TOKEN_SECRET_PREVIOUS = previous;
  const r = spawnSync(BIN, ['token', 'verify', '--json', '--now', String(NOW_S), '-'], { encoding: 'utf8', input: token, env });
  return { status: r.status, out: r.status === 0 ? JSON.parse(r.stdout) : null, stderr: r.stderr };
}

describe('SPA token secret rotation (KVS token_secret_previous)', () => {
  before(() => {
    [gateFn] = generate({ config: CONFIG, distribution: 'web', route: 'default' });
    oldToken = issueToken({ secretHex: OLD, userId: '42', maxAge: 3600 });
    newToken = issueToken({ secretHex: NEW, userId: '42', maxAge: 3600 });
  });

  it('the gate lists the previous key as optional and stays within 10 KB', () => {
    assert.deepEqual(gateFn.kvs_keys, ['token_secret', 'token_secret_previous']);
    assert.deepEqual(gateFn.optional_kvs_keys, ['token_secret_previous']);
    assert.ok(Buffer.byteLength(gateFn.code) <= 10240, `${Buffer.byteLength(gateFn.code)} bytes`);
  });

  it('issue under the old secret, rotate, remove the previous secret', async () => {
    // Before: only the old secret.
    assert.equal(await passes(oldToken, { token_secret: OLD }), true);
    assert.equal(await passes(newToken, { token_secret: OLD }), false);
    // Rotation: new current, old previous. Both tokens pass.
    const during = { token_secret: NEW, token_secret_previous: OLD };
    assert.equal(await passes(oldToken, during), true);
    assert.equal(await passes(newToken, during), true);
    // A token under a third secret, and an expired old-secret token, are still refused.
    assert.equal(await passes(issueToken({ secretHex: THIRD, userId: '42', maxAge: 3600 }), during), false);
    assert.equal(await passes(oldToken, during, { nowMs: (NOW_S + 7200) * 1000 }), false);
    // After: previous key removed. The old token is refused, the new one passes.
    assert.equal(await passes(oldToken, { token_secret: NEW }), false);
    assert.equal(await passes(newToken, { token_secret: NEW }), true);
  });

  it('the previous secret never replaces the current one', async () => {
    // Only a previous key (current missing or malformed): fail closed.
    assert.equal(await passes(oldToken, { token_secret_previous: OLD }), false);
    assert.equal(await passes(oldToken, { token_secret: 'not-hex', token_secret_previous: OLD }), false);
    // A malformed previous key is ignored; the current one still works.
    assert.equal(await passes(newToken, { token_secret: NEW, token_secret_previous: 'xyz' }), true);
    assert.equal(await passes(oldToken, { token_secret: NEW, token_secret_previous: 'xyz' }), false);
    // Store unavailable: fail closed.
    assert.equal(await passes(newToken, { token_secret: NEW, token_secret_previous: OLD }, { kvsFail: true }), false);
  });

  it('pocket-sign token verify honours SPA_TOKEN_SECRET_PREVIOUS', () => {
    let r = cliVerify(oldToken, NEW, OLD);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual([r.out.user_id, r.out.secret], ['42', 'previous']);
    r = cliVerify(newToken, NEW, OLD);
    assert.deepEqual([r.status, r.out.secret], [0, 'current']);
    assert.equal(cliVerify(oldToken, NEW).status, 1);
    assert.equal(cliVerify(oldToken, NEW, '').status, 1, 'empty previous = no rotation');
    const bad = cliVerify(newToken, NEW, 'abc');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /SPA_TOKEN_SECRET_PREVIOUS/);
    assert.ok(!bad.stderr.includes(NEW));
  });
});
