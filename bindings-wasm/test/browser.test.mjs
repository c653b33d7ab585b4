// Headless Chromium (Debian's /usr/bin/chromium driven by playwright-core) loads a page served
// from 127.0.0.1 that imports the package by name through an import map (the browser entry
// point, index.js, with top-level-await instantiation), and shows a decoded SPA token, a JWT
// verified synchronously against a JWKS, a policy and a generated CloudFront Function.
// Run twice: unbundled (import map → /pkg/index.js) and bundled by esbuild (platform browser:
// the package.json "exports" must pick index.js, not node.js; the .wasm is copied next to the
// bundle, which is what `new URL('…wasm', import.meta.url)` asks of a bundler).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import { build } from 'esbuild';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { generateCloudFrontFunctions } from 'pocket-sign';
import { HERE, PKG, ROOT, readJson } from './helpers.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const SCREENSHOT_DIR = path.join(ROOT, 'target', 'wasm');
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.json': 'application/json', '.toml': 'text/plain', '.ts': 'text/plain' };
const FIXTURE = path.join(ROOT, 'tests', 'fixtures', 'pocket-toml', 'upstream-cloudfront_spa_token.toml');

/** esbuild bundle of page/app.js (with the package) in a temp dir, the .wasm beside it. */
async function bundle() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pocket-sign-bundle-'));
  const result = await build({
    entryPoints: [path.join(HERE, 'page', 'app.js')],
    bundle: true, format: 'esm', platform: 'browser', target: 'es2022',
    outfile: path.join(dir, 'app.js'), logLevel: 'silent', metafile: true,
  });
  const inputs = Object.keys(result.metafile.inputs);
  assert.ok(inputs.some((f) => f.endsWith('pkg/index.js')), inputs.join(', '));
  assert.ok(!inputs.some((f) => f.endsWith('pkg/node.js')), 'the bundle must not use the node entry');
  copyFileSync(path.join(PKG, 'pocket_sign_wasm_bg.wasm'), path.join(dir, 'pocket_sign_wasm_bg.wasm'));
  return dir;
}

function serve(bundleDir) {
  const jwt = readJson('tests/vectors/jwt/jwt_vectors.json');
  const routes = {
    '/': path.join(HERE, 'page', 'index.html'),
    '/app.js': bundleDir ? path.join(bundleDir, 'app.js') : path.join(HERE, 'page', 'app.js'),
    '/fixture.toml': FIXTURE,
  };
  if (bundleDir) routes['/pocket_sign_wasm_bg.wasm'] = path.join(bundleDir, 'pocket_sign_wasm_bg.wasm');
  const served = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    let file = routes[url.pathname];
    if (url.pathname === '/jwks.json') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(jwt.jwks));
      return;
    }
    if (!file && url.pathname.startsWith('/pkg/')) {
      const rel = path.normalize(url.pathname.slice('/pkg/'.length));
      if (!rel.startsWith('..')) file = path.join(PKG, rel);
    }
    if (!file || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    const type = TYPES[path.extname(file)] ?? 'application/octet-stream';
    served.push([url.pathname, type]);
    res.writeHead(200, { 'content-type': type });
    res.end(readFileSync(file));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ server, served, port: server.address().port }));
  });
}

for (const variant of ['import-map', 'esbuild-bundle']) test(`the package works in headless Chromium (${variant})`, { timeout: 180_000 }, async () => {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} missing: apt_install chromium`);
  const spaVector = readJson('tests/vectors/spa_auth_vectors.json');
  const jwtVectors = readJson('tests/vectors/jwt/jwt_vectors.json');
  const jwtCase = jwtVectors.cases.find((c) => c.expected === 'valid' && c.verifier.type === 'jwks'
    && c.options.token_use === 'access');
  const jwtOptions = { issuer: jwtCase.options.issuers, tokenUse: 'access',
    clientId: jwtCase.options.client_ids, now: jwtCase.now };
  const now = spaVector.expiry - 3600;

  const bundleDir = variant === 'esbuild-bundle' ? await bundle() : undefined;
  const { server, served, port } = await serve(bundleDir);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1000, height: 1400 } });
    const problems = [];
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`); });
    const qs = new URLSearchParams({ spa: spaVector.token, now: String(now), jwt: jwtCase.token,
      jwtOptions: JSON.stringify(jwtOptions) });
    await page.goto(`http://127.0.0.1:${port}/?${qs}`);
    await page.waitForFunction(() => document.getElementById('status').textContent !== 'loading', null, { timeout: 120_000 });
    const text = async (id) => (await page.textContent(`#${id}`)).trim();
    assert.equal(await text('status'), 'ready', problems.join('\n'));

    assert.match(await text('version'), /^\d+\.\d+\.\d+/);
    assert.equal(await text('spa-user'), spaVector.user_id);
    assert.equal(await text('spa-expiry'), String(spaVector.expiry));
    assert.equal(await text('spa-expires-in'), '3600');
    assert.equal(await text('spa-error'), 'PocketSignError/spaToken/Malformed');
    const claims = JSON.parse(Buffer.from(jwtCase.token.split('.')[1], 'base64url'));
    assert.equal(await text('jwt-decoded'), `RS256 / ${claims.username} (verified: false)`);
    assert.equal(await text('jwt-verified'), `ok: ${claims.username} (access)`);
    assert.equal(await text('jwt-tampered'), 'refused: InvalidSignature');
    assert.equal(await text('policy'),
      '{"Statement":[{"Resource":"https://d111111abcdef8.cloudfront.net/media/*","Condition":{"DateLessThan":{"AWS:EpochTime":1767290400}}}]}');

    // The function shown is byte-identical to what node's copy of the package generates.
    const [expected] = generateCloudFrontFunctions(readFileSync(FIXTURE, 'utf8'), { distribution: 'main' });
    assert.deepEqual(expected.kvsKeys, ['token_secret', 'token_secret_previous']); // the token gate
    assert.equal(await text('fn-meta'),
      `${expected.name} / cloudfront-js-2.0 / ${expected.behavior} / [${expected.kvsKeys.join(', ')}]`);
    assert.equal(await page.textContent('#fn-code'), expected.code);

    // The browser entry point was used, and the .wasm was served as application/wasm.
    if (bundleDir) {
      assert.ok(!served.some(([p]) => p.startsWith('/pkg/')), JSON.stringify(served));
      assert.ok(served.some(([p, t]) => p === '/pocket_sign_wasm_bg.wasm' && t === 'application/wasm'));
    } else {
      assert.ok(served.some(([p]) => p === '/pkg/index.js'), JSON.stringify(served));
      assert.ok(served.some(([p, t]) => p === '/pkg/pocket_sign_wasm_bg.wasm' && t === 'application/wasm'));
      assert.ok(!served.some(([p]) => p === '/pkg/node.js'));
    }
    assert.deepEqual(problems, []);

    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `browser-page-${variant}.png`), fullPage: true });
  } finally {
    await browser.close();
    server.close();
  }
});
