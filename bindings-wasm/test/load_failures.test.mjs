// A failed .wasm load of the full browser entry (`pocket-sign`, top-level await) rejects the
// import with a PocketSignError naming the cause, so an app that imports it dynamically can
// show an error instead of hanging: 404, an SPA fallback serving index.html for the .wasm,
// wrong MIME type (harmless: bytes are instantiated, not streamed). Headless Chromium.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { PKG } from './helpers.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const PAGE = `<!doctype html><html><head><meta charset="utf-8">
<script type="importmap">{ "imports": { "pocket-sign": "/pkg/index.js" } }</script></head>
<body><p id="out">loading</p><script type="module">
const out = document.getElementById('out');
import('pocket-sign').then((m) => { out.textContent = 'ready ' + m.version(); },
  (e) => { out.textContent = (e.name) + '/' + e.kind + '/' + (e.status ?? '') + ': ' + e.message; });
</script></body></html>`;

function serve(wasmMode) {
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const sendHtml = () => { res.writeHead(200, { 'content-type': 'text/html' }); res.end(PAGE); };
    if (url.pathname.endsWith('.wasm')) {
      if (wasmMode === '404') { res.writeHead(404).end(); return; }
      if (wasmMode === 'spa-fallback') { sendHtml(); return; }
      const type = wasmMode === 'octet-stream' ? 'application/octet-stream' : 'application/wasm';
      res.writeHead(200, { 'content-type': type });
      res.end(readFileSync(path.join(PKG, 'pocket_sign_wasm_bg.wasm')));
      return;
    }
    if (url.pathname.startsWith('/pkg/')) {
      const file = path.join(PKG, path.normalize(url.pathname.slice(5)));
      if (existsSync(file)) {
        res.writeHead(200, { 'content-type': 'text/javascript' });
        res.end(readFileSync(file));
        return;
      }
    }
    sendHtml();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

test('a failed .wasm load names its cause instead of hanging', { timeout: 120_000 }, async () => {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  try {
    const expect = {
      '404': /^PocketSignError\/WasmHttpError\/404: .*404 Not Found/,
      'spa-fallback': /^PocketSignError\/WasmNotWasm\/: .*00 61 73 6d.*text\/html.*HTML page/,
      'octet-stream': /^ready \d/,
    };
    for (const [mode, want] of Object.entries(expect)) {
      const server = await serve(mode);
      try {
        const page = await browser.newPage();
        await page.goto(`http://127.0.0.1:${server.address().port}/`);
        await page.waitForFunction(() => document.getElementById('out').textContent !== 'loading', null, { timeout: 30_000 });
        assert.match(await page.textContent('#out'), want, mode);
        await page.close();
      } finally {
        server.close();
      }
    }
  } finally {
    await browser.close();
  }
});
