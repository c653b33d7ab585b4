// End to end, as an SPA uses the package: a Django view logs the user in with
// pocket_sign.django.spa_auth.spa_login (HttpOnly token cookie + readable companion
// pocket-spa-session cookie), headless Chromium opens the SPA (tests/bundlers/app, bundled by
// esbuild with `pocket-sign/spa`), which shows the user and the remaining time read by
// session()/sessionExpiresIn(); the token stays unreadable by scripts; logout clears it.
// Needs a Python with Django and pocket_sign ($POCKET_SIGN_PYTHON, default .venv/bin/python:
// tests/suites/60-wasm.sh provides it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { HERE, ROOT } from './helpers.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const PYTHON = process.env.POCKET_SIGN_PYTHON || path.join(ROOT, '.venv', 'bin', 'python');
const APP = path.join(ROOT, 'tests', 'bundlers', 'app');

async function bundleSpa() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pocket-sign-e2e-'));
  await build({
    entryPoints: [path.join(APP, 'src', 'main.js')], bundle: true, format: 'esm', platform: 'browser',
    outfile: path.join(dir, 'main.js'), logLevel: 'silent', nodePaths: [path.join(HERE, '..', 'node_modules')],
  });
  writeFileSync(path.join(dir, 'index.html'),
    readFileSync(path.join(APP, 'index.html'), 'utf8').replace('./src/main.js', './main.js'));
  return dir;
}

function startDjango(staticDir) {
  const child = spawn(PYTHON, [path.join(HERE, 'e2e', 'django_app.py'), staticDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /PORT (\d+)/.exec(out);
      if (m) resolve({ child, origin: `http://127.0.0.1:${m[1]}` });
    });
    child.on('exit', (code) => reject(new Error(`django_app.py exited ${code}: ${stderr}`)));
  });
}

async function shown(page) {
  await page.waitForFunction(() => document.getElementById('out').dataset.state !== 'loading', null, { timeout: 20_000 });
  return page.evaluate(() => ({ ...document.getElementById('out').dataset, text: document.getElementById('out').textContent, cookie: document.cookie }));
}

test('Django spa_login → SPA shows the user and remaining time; logout clears it', { timeout: 120_000 }, async () => {
  const { child, origin } = await startDjango(await bundleSpa());
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  try {
    const context = await browser.newContext();
    const page = await context.newPage();

    await page.goto(`${origin}/app/`);
    assert.equal((await shown(page)).text, 'Signed out');

    await page.goto(`${origin}/login?user=alice&max_age=600`);
    const inside = await shown(page);
    assert.equal(inside.state, 'ready', inside.text);
    assert.match(inside.text, /^Signed in as alice, (59\d|600) s left$/);
    // The token cookie exists but scripts cannot read it; the companion cookie carries no signature.
    const jar = await context.cookies(origin);
    const token = jar.find((c) => c.name === 'pocket-spa-token');
    assert.ok(token && token.httpOnly, JSON.stringify(jar));
    assert.ok(!inside.cookie.includes('pocket-spa-token'), inside.cookie);
    const companion = jar.find((c) => c.name === 'pocket-spa-session');
    assert.ok(companion && !companion.httpOnly && companion.secure && companion.sameSite === 'Lax', JSON.stringify(companion));
    assert.equal(companion.value, `alice:${token.value.split(':')[1]}`);
    assert.ok(!companion.value.includes(token.value.split(':')[2]));

    await page.goto(`${origin}/logout`);
    const after = await shown(page);
    assert.equal(after.text, 'Signed out');
    const left = (await context.cookies(origin)).map((c) => c.name);
    assert.deepEqual(left.filter((n) => n.startsWith('pocket-spa-')), []);
  } finally {
    await browser.close();
    child.kill();
  }
});
