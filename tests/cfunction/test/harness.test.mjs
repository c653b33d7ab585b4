// The harness itself: both engines refuse what CloudFront Functions do not offer, so a generated
// function that relied on node would fail here.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ENGINES } from '../lib/engines.mjs';
import { viewerRequest } from '../lib/events.mjs';
import { lintCloudFrontJs } from '../lib/lint.mjs';

const ev = viewerRequest({ uri: '/' });
const NODE_ONLY = {
  require: "function handler(event) { require('crypto'); return event.request; }",
  process: 'function handler(event) { return process.env; }',
  setTimeout: 'function handler(event) { setTimeout(function () {}, 1); return event.request; }',
  timingSafeEqual: "import crypto from 'crypto';\nfunction handler(event) { crypto.timingSafeEqual(Buffer.from('a'), Buffer.from('a')); return event.request; }",
  'fs module': "import fs from 'fs';\nfunction handler(event) { return event.request; }",
  'sha512 hmac': "import crypto from 'crypto';\nfunction handler(event) { crypto.createHmac('sha512', 'k').update('x').digest('hex'); return event.request; }",
  'console.log with two arguments': "function handler(event) { console.log('a', 'b'); return event.request; }",
  'no handler': 'function other(event) { return event.request; }',
};

for (const [engine, run] of Object.entries(ENGINES)) {
  describe(`${engine} runner rejects what CloudFront Functions lack`, () => {
    for (const [what, code] of Object.entries(NODE_ONLY)) {
      it(what, async () => {
        await assert.rejects(run(code, ev, {}));
      });
    }
    it('runs CloudFront-valid code: crypto subset, Buffer, kvs, one-argument console.log', async () => {
      const code = `import crypto from 'crypto';
import cf from 'cloudfront';
const kvs = cf.kvs();
async function handler(event) {
  var v = await kvs.get('k');
  var missing = 'none';
  try { await kvs.get('absent'); } catch (e) { missing = 'threw'; }
  console.log('seen ' + v);
  event.request.headers['x-h'] = { value: crypto.createHmac('sha256', Buffer.from('00ff', 'hex')).update('m').digest('hex') };
  event.request.headers['x-s'] = { value: crypto.createHash('sha1').update('abc').digest('base64') };
  event.request.headers['x-m'] = { value: missing + ':' + v + ':' + Date.now() };
  return event.request;
}`;
      const r = await run(code, ev, { kvs: { k: 'val' }, nowMs: 1234 });
      // HMAC-SHA256(key 00ff, "m"), computed with openssl/node outside the engines.
      assert.equal(r.result.headers['x-h'].value, '52a9e1c58e344b0e2e33aeee56389fe9928396e2950bd6376edd329936f543cb');
      assert.equal(r.result.headers['x-s'].value, 'qZk+NkcGgWq6PiVxeFDCbJzQ2J0=');
      assert.equal(r.result.headers['x-m'].value, 'threw:val:1234');
      assert.deepEqual(r.logs, ['seen val']);
    });
  });
}

describe('static lint for what only the CloudFront runtime refuses', () => {
  const bad = {
    'async arrow': 'async function handler(e) { var f = async (x) => x; return e.request; }',
    'async closure': 'async function handler(e) { var f = async function () {}; return e.request; }',
    'await without async': 'function handler(e) { await 1; return e.request; }',
    'import after code': "var a = 1;\nimport cf from 'cloudfront';\nfunction handler(e) { return e.request; }",
    'other module': "import qs from 'querystring';\nfunction handler(e) { return e.request; }",
    'require': "var c = require('crypto');\nfunction handler(e) { return e.request; }",
    'over 10 KB': `function handler(e) { return e.request; }\n//${'x'.repeat(10240)}`,
  };
  for (const [what, code] of Object.entries(bad)) {
    it(what, () => assert.notDeepEqual(lintCloudFrontJs(code), []));
  }
  it('accepts the generated style', () => {
    assert.deepEqual(lintCloudFrontJs("import crypto from 'crypto';\nimport cf from 'cloudfront';\n// c\nconst kvs = cf.kvs();\nasync function handler(e) { var s = await kvs.get('k'); return e.request; }"), []);
  });
});
