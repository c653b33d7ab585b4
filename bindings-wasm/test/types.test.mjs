// The TypeScript declarations type-check real usage under --strict, and refuse wrong usage
// (test/types/*.ts mark those lines with @ts-expect-error, which fails if no error). Both
// entries compile without the DOM lib (node and workers have none; the package needs none).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { HERE } from './helpers.mjs';

function tsc(file, lib) {
  const bin = path.join(HERE, '..', 'node_modules', '.bin', 'tsc');
  return spawnSync(bin, ['--noEmit', '--strict', '--skipLibCheck', 'false', '--target', 'es2022',
    '--module', 'nodenext', '--moduleResolution', 'nodenext', '--lib', lib,
    path.join(HERE, 'types', file)], { encoding: 'utf8', cwd: path.join(HERE, '..') });
}

for (const [file, lib] of [['usage.ts', 'es2022'], ['usage.ts', 'es2022,dom'], ['spa_usage.ts', 'es2022']]) {
  test(`tsc --strict --lib ${lib} accepts ${file} and rejects its misuse`, { timeout: 120_000 }, () => {
    const r = tsc(file, lib);
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
  });
}
