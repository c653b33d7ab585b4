// Builds tests/bundlers/app (a small SPA importing `pocket-sign/spa`) with every mainstream
// bundler, each with the configuration a user would write (none beyond the entry, except
// Rollup's standard node-resolve plugin), from the package installed out of its `npm pack`
// tarball into ./node_modules/pocket-sign, then opens each build in headless Chromium and
// checks what the page shows. Also checks the CSP failure path once: a page whose CSP lacks
// 'wasm-unsafe-eval' shows the PocketSignError kind instead of hanging.
//
//   node tests/bundlers/run.mjs            (tests/suites/60-wasm.sh installs and packs first)
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const APP = path.join(HERE, 'app');
const OUT = path.join(HERE, 'out');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css' };
const staticHtml = readFileSync(path.join(APP, 'index.html'), 'utf8').replace('./src/main.js', './main.js');

async function viteBuild(pkg, name) {
  const { build } = await import(pkg);
  const outDir = path.join(OUT, name);
  await build({ root: APP, logLevel: 'warn', build: { outDir, emptyOutDir: true }, configFile: false });
  return outDir;
}

async function webpackBuild() {
  const { default: webpack } = await import('webpack');
  const outDir = path.join(OUT, 'webpack5');
  await new Promise((resolve, reject) => {
    webpack({
      mode: 'production', context: APP, entry: './src/main.js',
      output: { path: outDir, filename: 'main.js', clean: true },
      resolve: { modules: [path.join(HERE, 'node_modules')] },
      // The fixture app is `"type": "commonjs"` (the esbuild case above), so webpack would parse
      // the app's own ESM source as CommonJS and refuse its `import`s; this rule is about the
      // app, not the package (pocket-sign/spa itself is ESM by its own package.json).
      module: { rules: [{ test: /\.js$/, include: path.join(APP, 'src'), type: 'javascript/auto' }] },
    }, (err, stats) => {
      if (err) return reject(err);
      if (stats.hasErrors()) return reject(new Error(stats.toString('errors-only')));
      resolve();
    });
  });
  writeFileSync(path.join(outDir, 'index.html'), staticHtml);
  return outDir;
}

async function esbuildBuild() {
  const { build } = await import('esbuild');
  const outDir = path.join(OUT, 'esbuild');
  rmSync(outDir, { recursive: true, force: true });
  // The defaults a user gets: bundle for the browser, format left to esbuild (iife, as the
  // app's package.json says "type": "commonjs", like `npm init -y` writes).
  await build({
    entryPoints: [path.join(APP, 'src', 'main.js')], bundle: true, minify: true,
    platform: 'browser', outfile: path.join(outDir, 'main.js'), logLevel: 'warning',
    nodePaths: [path.join(HERE, 'node_modules')],
  });
  writeFileSync(path.join(outDir, 'index.html'), staticHtml.replace(' type="module"', ''));
  return outDir;
}

async function rollupBuild() {
  const { rollup } = await import('rollup');
  const { nodeResolve } = await import('@rollup/plugin-node-resolve');
  const outDir = path.join(OUT, 'rollup4');
  rmSync(outDir, { recursive: true, force: true });
  const bundle = await rollup({
    input: path.join(APP, 'src', 'main.js'),
    plugins: [nodeResolve({ browser: true, modulePaths: [path.join(HERE, 'node_modules')] })],
  });
  await bundle.write({ file: path.join(outDir, 'main.js'), format: 'es' });
  await bundle.close();
  writeFileSync(path.join(outDir, 'index.html'), staticHtml);
  return outDir;
}

function serve(dir, headers = {}) {
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const rel = path.normalize(decodeURIComponent(url.pathname)).replace(/^\/+/, '') || 'index.html';
    const file = path.join(dir, rel);
    if (rel.startsWith('..') || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream', ...headers });
    res.end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function jsGzipBytes(dir) {
  let total = 0;
  for (const f of readdirSync(dir, { recursive: true })) {
    const p = path.join(dir, f);
    if (statSync(p).isFile() && /\.(js|wasm)$/.test(f)) total += gzipSync(readFileSync(p), { level: 9 }).length;
  }
  return total;
}

async function openPage(browser, dir, { headers, cookie } = {}) {
  const server = await serve(dir, headers);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const context = await browser.newContext();
  if (cookie) await context.addCookies([{ name: 'pocket-spa-session', value: cookie, url: origin }]);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  try {
    await page.goto(`${origin}/index.html`);
    await page.waitForFunction(() => document.getElementById('out').dataset.state !== 'loading', null, { timeout: 20_000 });
    return await page.evaluate(() => ({ ...document.getElementById('out').dataset, text: document.getElementById('out').textContent }));
  } catch (e) {
    throw new Error(`${dir}: ${e.message}; page errors: ${errors.join(' | ')}`);
  } finally {
    await context.close();
    server.close();
  }
}

const builders = {
  vite8: () => viteBuild('vite', 'vite8'),
  vite7: () => viteBuild('vite7', 'vite7'),
  webpack5: webpackBuild,
  esbuild: esbuildBuild,
  rollup4: rollupBuild,
};
const only = process.argv.slice(2);
mkdirSync(OUT, { recursive: true });
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
const pkgVersion = JSON.parse(readFileSync(path.join(HERE, 'node_modules', 'pocket-sign', 'package.json'), 'utf8')).version;
let failed = 0;
try {
  for (const [name, build] of Object.entries(builders)) {
    if (only.length && !only.includes(name)) continue;
    try {
      const t0 = Date.now();
      const dir = await build();
      const expiry = Math.floor(Date.now() / 1000) + 3600;
      const shown = await openPage(browser, dir, { cookie: `bundler%20user:${expiry}` });
      assert.equal(shown.state, 'ready', `${name}: ${shown.text}`);
      const r = JSON.parse(shown.result);
      assert.equal(r.user, 'bundler user');
      assert.ok(r.left > 3500 && r.left <= 3600, `left ${r.left}`);
      assert.deepEqual(r.claimOrder, ['sub', 'exp', 'aud', 'iat']);
      assert.equal(r.jwtLeft, 4102444800 - 1700000000);
      assert.equal(r.covered, true);
      assert.equal(r.notCovered, false);
      assert.equal(r.version, pkgVersion);
      const signedOut = await openPage(browser, dir);
      assert.equal(signedOut.text, 'Signed out');
      const gz = jsGzipBytes(dir);
      console.log(`bundlers: ${name}: ok (${Date.now() - t0} ms; page JS + wasm ${gz} bytes gzip -9, app included)`);
      if (name === 'esbuild') {
        const blocked = await openPage(browser, dir, { headers: { 'content-security-policy': "script-src 'self'" } });
        assert.equal(blocked.state, 'error', blocked.text);
        assert.equal(blocked.kind, 'WasmBlockedByCsp', blocked.text);
        assert.match(blocked.text, /wasm-unsafe-eval/);
        const allowed = await openPage(browser, dir, { headers: { 'content-security-policy': "script-src 'self' 'wasm-unsafe-eval'" } });
        assert.equal(allowed.state, 'ready', allowed.text);
        console.log("bundlers: CSP without 'wasm-unsafe-eval' → WasmBlockedByCsp shown; with it → ready");
      }
    } catch (e) {
      failed += 1;
      console.error(`bundlers: ${name}: FAILED: ${e && e.stack ? e.stack : e}`);
    }
  }
} finally {
  await browser.close();
}
if (failed) {
  console.error(`bundlers: ${failed} failed`);
  process.exit(1);
}
