// The bad-input catalogue (tests/vectors/bad_inputs.json) against the WASM package: every case
// the package has an export for throws a real `Error` (name PocketSignError) whose `kind` is the
// catalogue's stable kind, or succeeds for `ok` cases. "boundary" cases (non-UTF-8 text,
// negative or over-2^53-1 integers) must throw kind `InvalidArgument`. Non-UTF-8 input is given
// as the JS string a lossy-free decoder would produce: the valid parts, with each invalid byte
// as a lone surrogate (U+DC80 + byte, Python's surrogateescape), which is not valid Unicode.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  buildCustomPolicy, decodeJwt, generateCloudFrontFunctions, issueSpaToken, verifyJwt,
  verifySpaToken,
} from 'pocket-sign';
import { ROOT } from './helpers.mjs';

const VECTORS = path.join(ROOT, 'tests', 'vectors');
const CAT = JSON.parse(readFileSync(path.join(VECTORS, 'bad_inputs.json'), 'utf8'));
const D = CAT.defaults;

function materialise(inp) {
  if ('utf8' in inp) return Buffer.from(inp.utf8, 'utf8');
  if ('base64' in inp) return Buffer.from(inp.base64, 'base64');
  if ('repeat' in inp) return Buffer.from(inp.repeat.repeat(inp.count), 'utf8');
  if ('concat' in inp) return Buffer.concat(inp.concat.map(materialise));
  if ('file' in inp) return readFileSync(path.join(VECTORS, inp.file));
  throw new Error(`unknown input ${JSON.stringify(inp)}`);
}

/** UTF-8 bytes → JS string; invalid bytes become lone surrogates (never U+FFFD). */
function text(buf) {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    let out = '';
    let i = 0;
    while (i < buf.length) {
      let ok = false;
      for (let n = 4; n >= 1 && !ok; n--) {
        if (i + n > buf.length) continue;
        try {
          out += new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(i, i + n));
          i += n;
          ok = true;
        } catch { /* try a shorter sequence */ }
      }
      if (!ok) {
        out += String.fromCharCode(0xdc00 + buf[i]);
        i += 1;
      }
    }
    return out;
  }
}

const num = (c, k) => Number((c.params && c.params[k]) ?? D[k]);

class Skip extends Error {}

function invoke(c, data) {
  const now = num(c, 'now');
  switch (c.op) {
    case 'spa_secret':
      return issueSpaToken('42', text(data), { now });
    case 'spa_verify':
      return verifySpaToken(text(data), D.spa_secret, now);
    case 'spa_issue': {
      const uid = text(data);
      const token = issueSpaToken(uid, D.spa_secret, { now, maxAge: num(c, 'max_age') });
      assert.equal(verifySpaToken(token, D.spa_secret, now).userId, uid, 'user id round trip');
      return token;
    }
    case 'jwt_decode':
      return decodeJwt(text(data));
    case 'jwt_verify_jwks':
      return verifyJwt(text(data), JSON.stringify(D.jwks), { issuer: D.issuer, clientId: null, now });
    case 'jwk_parse':
      return verifyJwt(D.jwk_probe_token, `{"keys":[${text(data)}]}`, { issuer: D.issuer, clientId: null, now });
    case 'jwks_parse':
      return verifyJwt(D.jwk_probe_token, text(data), { issuer: D.issuer, clientId: null, now });
    case 'policy_ip':
      return buildCustomPolicy({ resource: D.resource, dateLessThan: num(c, 'expires'), ipAddress: text(data) });
    case 'policy_times': {
      const input = { resource: D.resource, dateLessThan: num(c, 'expires') };
      if (c.params && 'starts' in c.params) input.dateGreaterThan = num(c, 'starts');
      return buildCustomPolicy(input);
    }
    case 'toml_codegen':
      return generateCloudFrontFunctions(text(data), { distribution: D.distribution });
    default:
      throw new Skip(`the WASM package has no export for ${c.op}`);
  }
}

// Text that is not valid Unicode (lone surrogates) is refused as InvalidArgument at the
// boundary: converting it lossily to U+FFFD would let two different strings reach the core as
// one (js.rs `string_arg`).

for (const c of CAT.cases) {
  const expect = c.expect.wasm ?? c.expect;
  const data = materialise(c.input);
  test(c.id, (t) => {
    let result;
    let thrown;
    try {
      result = invoke(c, data);
    } catch (e) {
      if (e instanceof Skip) return t.skip(e.message);
      thrown = e;
    }
    if (expect.ok) {
      assert.equal(thrown, undefined, `unexpected ${thrown && thrown.kind}: ${thrown && thrown.message}`);
      assert.notEqual(result, undefined);
      return;
    }
    assert.ok(thrown instanceof Error, `expected an Error, got ${thrown === undefined ? 'success' : thrown}`);
    assert.equal(thrown.name, 'PocketSignError', String(thrown));
    const kind = expect.error === 'boundary' ? 'InvalidArgument' : expect.kind;
    assert.equal(thrown.kind, kind, `${thrown.kind}: ${thrown.message}`);
    assert.ok(thrown.message.length > 0 && !thrown.message.includes('\n'), thrown.message);
  });
}
