// Shared helpers of the node tests: paths, the pocket-sign CLI, error assertions.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HERE, '../..');
export const PKG = path.join(ROOT, 'bindings-wasm', 'pkg');

export function readJson(rel) {
  return JSON.parse(readFileSync(path.join(ROOT, rel), 'utf8'));
}

/** The pocket-sign CLI: $POCKET_SIGN_BIN (set by tests/suites/60-wasm.sh) or target/debug. */
export function cliPath() {
  const bin = process.env.POCKET_SIGN_BIN || path.join(ROOT, 'target', 'debug', 'pocket-sign');
  assert.ok(existsSync(bin), `pocket-sign CLI not found at ${bin}: run build_cli or set POCKET_SIGN_BIN`);
  return bin;
}

/** Runs the CLI; returns {status, stdout, stderr}. */
export function cli(args, env = {}) {
  const r = spawnSync(cliPath(), args, { encoding: 'utf8', env: { ...process.env, ...env } });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs the CLI and returns stdout, failing the test on a non-zero exit. */
export function cliOk(args, env = {}) {
  return execFileSync(cliPath(), args, { encoding: 'utf8', env: { ...process.env, ...env } });
}

/** Runs fn() and returns the PocketSignError it throws (failing the test otherwise). */
function thrownPocketSignError(fn, expected) {
  let caught;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught !== undefined, `expected a ${expected} error, nothing was thrown`);
  assert.ok(caught instanceof Error, `thrown value is not an Error: ${caught}`);
  assert.equal(caught.name, 'PocketSignError');
  assert.equal(typeof caught.message, 'string');
  assert.ok(caught.message.length > 0);
  return caught;
}

/**
 * Asserts that fn() throws a PocketSignError of this kind (and domain, when given); returns it.
 */
export function throwsKind(fn, kind, domain) {
  const caught = thrownPocketSignError(fn, kind);
  assert.equal(caught.kind, kind, `kind (message: ${caught.message})`);
  if (domain !== undefined) assert.equal(caught.domain, domain);
  return caught;
}

/**
 * Asserts that `fn` throws a `jwt` PocketSignError whose `awsJwtVerifyClass` is `awsClass` (the
 * aws-jwt-verify class name the JWT vectors expect); returns the error.
 */
export function throwsAwsClass(fn, awsClass) {
  const caught = thrownPocketSignError(fn, awsClass);
  assert.equal(caught.domain, 'jwt');
  assert.equal(caught.awsJwtVerifyClass, awsClass, `aws-jwt-verify class (kind ${caught.kind}: ${caught.message})`);
  return caught;
}
