// The TypeScript declarations type-check real usage under --strict, and refuse wrong usage
// (test/types/usage.ts marks those lines with @ts-expect-error, which fails if no error).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { HERE } from './helpers.mjs';

test('tsc --strict accepts the declared API and rejects misuse', { timeout: 120_000 }, () => {
  const tsc = path.join(HERE, '..', 'node_modules', '.bin', 'tsc');
  const r = spawnSync(tsc, ['--noEmit', '--strict', '--skipLibCheck', 'false', '--target', 'es2022',
    '--module', 'nodenext', '--moduleResolution', 'nodenext', '--lib', 'es2022,dom',
    path.join(HERE, 'types', 'usage.ts')], { encoding: 'utf8', cwd: path.join(HERE, '..') });
  assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
});
