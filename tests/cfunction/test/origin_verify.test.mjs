// enable_origin_verify: the API route's viewer-request function, run in node (vm with
// CloudFront-only globals) and QuickJS, never lets a client-supplied X-Pocket-Origin-Verify or
// X-Pocket-Viewer-Ip reach the origin: the secret header is CloudFront's alone to add (origin
// custom header), the viewer IP is always event.viewer.ip.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { viewerRequest } from '../lib/events.mjs';
import { runBoth } from '../lib/engines.mjs';
import { generate, cli, ROOT } from '../lib/tools.mjs';

const CONFIG = path.join(ROOT, 'tests', 'cfunction', 'configs', 'origin-verify.toml');
const byBehavior = (list) => Object.fromEntries(list.map((f) => [f.behavior, f]));

describe('enable_origin_verify in generated functions (node vm + QuickJS)', () => {
  let on;
  let off;
  before(() => {
    on = byBehavior(generate({ config: CONFIG, distribution: 'web' }));
    off = byBehavior(generate({ config: CONFIG, distribution: 'plain' }));
  });

  const spoofed = {
    'x-pocket-origin-verify': 'guessed-secret',
    'X-Pocket-Viewer-Ip': '10.0.0.1',
    'x-forwarded-for': '10.0.0.2',
  };

  it('API route: client-sent x-pocket-origin-verify is dropped, viewer IP is the edge one', async () => {
    for (const [uri, ip] of [['/api/users', '198.51.100.9'], ['/api/x?y=1', '2001:db8::7']]) {
      const ev = viewerRequest({ uri, headers: spoofed, ip });
      const r = await runBoth(on['/api/*'].code, ev, {});
      const h = r.result.headers;
      assert.equal(h['x-pocket-origin-verify'], undefined, JSON.stringify(h));
      assert.equal(h['x-pocket-viewer-ip'].value, ip);
      assert.equal(h['x-pocket-viewer-ip'].multiValue, undefined);
      assert.equal(h['x-forwarded-host'].value, 'example.com');
    }
  });

  it('repeated spoofed headers (multiValue) are dropped or replaced whole', async () => {
    const ev = viewerRequest({
      uri: '/api/a',
      headers: { 'x-pocket-origin-verify': ['a', 'b'], 'x-pocket-viewer-ip': ['10.0.0.1', '10.0.0.3'] },
      ip: '203.0.113.50',
    });
    const r = await runBoth(on['/api/*'].code, ev, {});
    assert.equal(r.result.headers['x-pocket-origin-verify'], undefined);
    assert.deepEqual(r.result.headers['x-pocket-viewer-ip'], { value: '203.0.113.50' });
  });

  it('a viewer without an IP gets an empty viewer-IP header, never the spoofed one', async () => {
    const ev = viewerRequest({ uri: '/api/a', headers: spoofed });
    delete ev.viewer.ip;
    const r = await runBoth(on['/api/*'].code, ev, {});
    assert.equal(r.result.headers['x-pocket-viewer-ip'].value, '');
    assert.equal(r.result.headers['x-pocket-origin-verify'], undefined);
  });

  it('the S3 routes are unchanged by the switch', () => {
    assert.equal(on.default.code.replace(/^\/\/ .*\n/, ''), off.default.code.replace(/^\/\/ .*\n/, ''));
    assert.ok(!on.default.code.includes('x-pocket-origin-verify'));
  });

  it('without the switch the API function does not mention the secret header', () => {
    assert.ok(!off['/api/*'].code.includes('x-pocket-origin-verify'));
    assert.ok(on['/api/*'].code.includes("delete r.headers['x-pocket-origin-verify'];"));
  });

  it('the switch without any lambda route is refused with its rule id', () => {
    const r = cli(['cf-function', '--config', path.join(ROOT, 'tests', 'cfunction', 'configs', 'origin-verify-s3-only.toml'),
      '--distribution', 'web', '--format', 'json']);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /origin-verify-needs-api-route/);
  });
});
