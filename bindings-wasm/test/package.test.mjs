// The package as a package: entry-point resolution, exports vs. TypeScript declarations,
// argument checking shared by every export.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import * as ps from 'pocket-sign';
import { PKG, ROOT, throwsKind } from './helpers.mjs';

const EXPORTS = [
  'buildCustomPolicy', 'cloudfrontBase64', 'decodeJwt', 'generateCloudFrontFunctions',
  'issueSpaToken', 'parseSpaToken', 'resourceMatches', 'spaLoginSetCookie', 'spaLogoutSetCookie',
  'spaTokenExpiresIn', 'verifyJwt', 'verifySpaToken', 'version', 'session', 'sessionExpiresIn', 'jwtExpiresIn',
];

test('node resolves the package to the synchronous node entry point', () => {
  const resolved = import.meta.resolve('pocket-sign');
  assert.ok(resolved.endsWith('/node.js'), resolved);
  const pkg = JSON.parse(readFileSync(path.join(PKG, 'package.json'), 'utf8'));
  assert.equal(pkg.name, 'pocket-sign');
  assert.equal(pkg.type, 'module');
  assert.deepEqual(Object.keys(pkg.exports['.']), ['types', 'node', 'default']);
  // Every file the exports map and "files" name exists in the built package.
  for (const f of pkg.files) {
    if (f.endsWith('/')) assert.ok(readdirSync(path.join(PKG, f)).length > 0, f);
    else readFileSync(path.join(PKG, f));
  }
  assert.deepEqual(Object.keys(pkg.exports['./spa']), ['types', 'default']);
});

test('version matches the crate version', () => {
  const cargo = readFileSync(path.join(ROOT, 'Cargo.toml'), 'utf8');
  const v = cargo.match(/^version = "([^"]+)"/m)[1];
  assert.equal(ps.version(), v);
  const pkg = JSON.parse(readFileSync(path.join(PKG, 'package.json'), 'utf8'));
  assert.equal(pkg.version, v);
});

test('every export is a function with a typed declaration', () => {
  const dts = readFileSync(path.join(PKG, 'pocket_sign_wasm.d.ts'), 'utf8');
  for (const name of EXPORTS) {
    assert.equal(typeof ps[name], 'function', name);
    const m = dts.match(new RegExp(`export function ${name}\\(([^)]*)\\): ([^;]+);`));
    assert.ok(m, `no declaration for ${name}`);
    assert.ok(!/\bany\b/.test(m[1] + m[2]), `${name} is declared with any: ${m[0]}`);
  }
  for (const iface of ['SpaTokenInfo', 'UnverifiedJwt', 'VerifyJwtOptions', 'CustomPolicyInput',
    'GenerateOptions', 'CloudFrontFunction', 'SpaSession', 'JwtPayload']) {
    assert.match(dts, new RegExp(`export interface ${iface}\\b[^{]*\\{`), iface);
  }
  const index = readFileSync(path.join(PKG, 'index.d.ts'), 'utf8');
  assert.match(index, /export \* from '\.\/api\.js'/);
  assert.match(index, /export \{ PocketSignError \} from '\.\/errors\.js'/);
});

test('non-string arguments are InvalidArgument errors, not crashes', () => {
  for (const bad of [undefined, null, 5, {}, ['a']]) {
    throwsKind(() => ps.parseSpaToken(bad), 'InvalidArgument', 'input');
    throwsKind(() => ps.decodeJwt(bad), 'InvalidArgument', 'input');
    throwsKind(() => ps.verifySpaToken(bad, '00'.repeat(32), 0), 'InvalidArgument', 'input');
    throwsKind(() => ps.generateCloudFrontFunctions(bad, { distribution: 'web' }), 'InvalidArgument', 'input');
    throwsKind(() => ps.cloudfrontBase64(bad), 'InvalidArgument', 'input');
  }
});

test('times must be whole, non-negative, safe-integer seconds', () => {
  const token = 'u:100:' + '0'.repeat(64);
  for (const bad of [-1, 1.5, NaN, Infinity, 2 ** 53, '5']) {
    const e = throwsKind(() => ps.spaTokenExpiresIn(token, bad), 'InvalidArgument', 'input');
    assert.match(e.message, /^now must be a (whole )?number/);
  }
  assert.equal(ps.spaTokenExpiresIn(token, 0), 100);
  assert.equal(ps.spaTokenExpiresIn(token, 2 ** 53 - 1), 100 - (2 ** 53 - 1));
});

test('the wasm needs no randomness and no host crypto', () => {
  // The core is built without `std` (no getrandom, no ring): the glue imports nothing random.
  const glue = readFileSync(path.join(PKG, 'pocket_sign_wasm.js'), 'utf8');
  assert.ok(!/getRandomValues|randomFillSync|crypto/.test(glue), 'glue references crypto/randomness');
  const mod = new WebAssembly.Module(readFileSync(path.join(PKG, 'pocket_sign_wasm_bg.wasm')));
  const imports = WebAssembly.Module.imports(mod).map((i) => i.name);
  assert.ok(!imports.some((n) => /random|crypto/i.test(n)), imports.join(', '));
});
