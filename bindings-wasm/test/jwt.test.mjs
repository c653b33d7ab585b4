// JWT exports against the shared JWT vectors (tests/vectors/jwt/jwt_vectors.json: PyJWT- and
// cryptography-made tokens with the expected aws-jwt-verify error class per case).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeJwt, verifyJwt } from 'pocket-sign';
import { readJson, throwsKind, throwsAwsClass } from './helpers.mjs';

const V = readJson('tests/vectors/jwt/jwt_vectors.json');
const JWKS_CASES = V.cases.filter((c) => c.verifier.type === 'jwks');

/** The vector's (Rust-named) options in verifyJwt's aws-jwt-verify-like names. */
function jsOptions(o, now) {
  const names = {
    issuers: 'issuer', audiences: 'audience', token_use: 'tokenUse', client_ids: 'clientId',
    grace_seconds: 'graceSeconds', max_age_seconds: 'maxAgeSeconds', groups: 'groups', scopes: 'scope',
  };
  const out = { now };
  for (const [k, v] of Object.entries(o)) {
    assert.ok(k in names, `unmapped vector option ${k}`);
    out[names[k]] = v;
  }
  // A vector without a client or audience binding: the explicit "any client" choice.
  if (!('clientId' in out) && !('audience' in out)) out.clientId = null;
  return out;
}

test('the vectors cover the interesting outcomes', () => {
  assert.ok(JWKS_CASES.length >= 40, `${JWKS_CASES.length} JWKS cases`);
  const outcomes = new Set(JWKS_CASES.map((c) => c.expected));
  for (const k of ['valid', 'JwtParseError', 'JwtInvalidSignatureError', 'JwtExpiredError',
    'KidNotFoundInJwksError', 'CognitoJwtInvalidTokenUseError', 'CognitoJwtInvalidClientIdError']) {
    assert.ok(outcomes.has(k), k);
  }
});

for (const [i, c] of JWKS_CASES.entries()) {
  test(`vector ${c.name}: ${c.expected}`, () => {
    // Alternate JWKS as JSON text and as an object: both forms are accepted.
    const jwks = i % 2 ? JSON.stringify(V.jwks) : V.jwks;
    const opts = jsOptions(c.options, c.now);
    if (c.expected === 'valid') {
      const claims = verifyJwt(c.token, jwks, opts);
      assert.deepEqual(claims, decodeJwt(c.token).payload);
    } else {
      throwsAwsClass(() => verifyJwt(c.token, jwks, opts), c.expected);
    }
  });
}

test('decodeJwt is labelled unverified and does not check the signature', () => {
  const valid = JWKS_CASES.find((c) => c.expected === 'valid');
  const d = decodeJwt(valid.token);
  assert.equal(d.verified, false);
  assert.equal(typeof d.header.alg, 'string');
  assert.equal(d.payload.iss, V.issuer);
  // A bad signature still decodes: nothing is checked.
  const [h, p, s] = valid.token.split('.');
  const flipped = `${h}.${p}.${s[0] === 'A' ? 'B' : 'A'}${s.slice(1)}`;
  assert.deepEqual(decodeJwt(flipped).payload, d.payload);
  throwsKind(() => verifyJwt(flipped, V.jwks, jsOptions(valid.options, valid.now)), 'InvalidSignature', 'jwt');
  throwsKind(() => decodeJwt('not-a-jwt'), 'Parse', 'jwt');
  throwsKind(() => decodeJwt('eyJhbGciOiJub25lIn0.e30.c2ln'), 'InvalidSignatureAlgorithm', 'jwt');
});

test('verifyJwt option checking', () => {
  const valid = JWKS_CASES.find((c) => c.expected === 'valid' && c.options.token_use === 'access');
  const base = jsOptions(valid.options, valid.now);
  assert.equal(verifyJwt(valid.token, V.jwks, base).iss, V.issuer);
  // A misspelt option is refused rather than silently not checked.
  throwsKind(() => verifyJwt(valid.token, V.jwks, { ...base, clientID: 'x' }), 'InvalidArgument', 'input');
  throwsKind(() => verifyJwt(valid.token, V.jwks, { now: valid.now }), 'InvalidArgument', 'input');
  throwsKind(() => verifyJwt(valid.token, V.jwks, undefined), 'InvalidArgument', 'input');
  throwsKind(() => verifyJwt(valid.token, V.jwks, { ...base, tokenUse: 'refresh' }), 'InvalidArgument');
  throwsKind(() => verifyJwt(valid.token, V.jwks, { ...base, graceSeconds: 1.5 }), 'InvalidArgument');
  // Each check is applied: wrong issuer, wrong client, wrong token use, expired, grace.
  throwsKind(() => verifyJwt(valid.token, V.jwks, { ...base, issuer: 'https://other' }), 'InvalidIssuer');
  throwsKind(() => verifyJwt(valid.token, V.jwks, { ...base, clientId: 'other' }), 'InvalidClientId');
  // The client id check is never silently off: absent or empty is a configuration error,
  // accepting every app client is the explicit `clientId: null` (as aws-jwt-verify).
  const { clientId: _c, ...noClient } = base;
  throwsKind(() => verifyJwt(valid.token, V.jwks, noClient), 'InvalidArgument', 'input');
  for (const empty of ['', [], [''], [valid.options.client_ids[0], '']]) {
    throwsKind(() => verifyJwt(valid.token, V.jwks, { ...base, clientId: empty }), 'InvalidArgument', 'input');
  }
  assert.equal(verifyJwt(valid.token, V.jwks, { ...noClient, clientId: null }).iss, V.issuer);
  throwsKind(() => verifyJwt(valid.token, V.jwks, { ...base, tokenUse: 'id' }), 'InvalidTokenUse');
  assert.equal(verifyJwt(valid.token, V.jwks, { ...base, tokenUse: null }).token_use, 'access');
  const exp = decodeJwt(valid.token).payload.exp;
  throwsKind(() => verifyJwt(valid.token, V.jwks, { ...base, now: exp + 1 }), 'Expired');
  assert.ok(verifyJwt(valid.token, V.jwks, { ...base, now: exp + 1, graceSeconds: 1 }));
  throwsKind(() => verifyJwt(valid.token, V.jwks, { ...base, scope: 'nope' }), 'InvalidScope');
  throwsKind(() => verifyJwt(valid.token, { keys: [] }, base), 'KidNotFoundInJwks');
  throwsKind(() => verifyJwt(valid.token, '{"keys": 5}', base), 'JwksInvalid');
  throwsKind(() => verifyJwt(valid.token, 'not json', base), 'JwksInvalid');
  // The default clock (no `now`): these vector tokens expired in 2023.
  const { now: _unused, ...clock } = base;
  throwsKind(() => verifyJwt(valid.token, V.jwks, clock), 'Expired');
});
