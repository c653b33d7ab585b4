// Helpers: the pocket-sign CLI (built by the suite; POCKET_SIGN_BIN) and SPA token issuers.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HERE, '..', '..', '..');
export const FIXTURES = path.join(ROOT, 'tests', 'fixtures', 'pocket-toml');
export const BIN = process.env.POCKET_SIGN_BIN ?? path.join(ROOT, 'target', 'debug', 'pocket-sign');

export function cli(args) {
  const r = spawnSync(BIN, args, { encoding: 'utf8' });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Generated functions (JSON) for one distribution; throws with stderr on failure. */
export function generate({ config, distribution, stage, route }) {
  const args = ['cf-function', '--config', config, '--distribution', distribution, '--format', 'json'];
  if (stage) args.push('--stage', stage);
  if (route) args.push('--route', route);
  const r = cli(args);
  if (r.status !== 0) throw new Error(`cf-function failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout);
}

let rustIssuer;
function rustTokenIssueAvailable() {
  if (rustIssuer === undefined) {
    const r = spawnSync(BIN, ['token', 'issue', '--help'], { encoding: 'utf8' });
    rustIssuer = r.status === 0 && /--secret/.test(r.stdout) && /--max-age/.test(r.stdout);
  }
  return rustIssuer;
}

/** Which implementation issues tokens in this run. */
export function issuerName() {
  return rustTokenIssueAvailable() ? 'rust-core (pocket-sign token issue)' : 'python-stdlib (tools/spa_token.py)';
}

/**
 * Issues a magic-pocket SPA token: `{user}:{expiry}:{hmac_sha256_hex}` with key = hex-decoded
 * secret. From the Rust core through `pocket-sign token issue` when that command exists, else from
 * the Python stdlib reimplementation.
 */
export function issueToken({ secretHex, userId, maxAge }) {
  let r;
  if (rustTokenIssueAvailable()) {
    // The secret goes through the environment (SPA_TOKEN_SECRET), not the command line.
    r = spawnSync(BIN, ['token', 'issue', '--max-age', String(maxAge), '--', userId], {
      encoding: 'utf8',
      env: { ...process.env, SPA_TOKEN_SECRET: secretHex },
    });
  } else {
    r = spawnSync('python3', [path.join(HERE, '..', 'tools', 'spa_token.py'), 'issue', '--secret-hex', secretHex, '--user-id', userId, '--max-age', String(maxAge)], { encoding: 'utf8' });
  }
  if (r.status !== 0) throw new Error(`token issue failed: ${r.stderr}`);
  return r.stdout.trim();
}

/** Issues with the Python stdlib reimplementation (upstream's algorithm), explicit expiry. */
export function issuePython({ secretHex, userId, expiry }) {
  const r = spawnSync('python3', [path.join(HERE, '..', 'tools', 'spa_token.py'), 'issue', '--secret-hex', secretHex, '--user-id', userId, '--expiry', String(expiry)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python token issue failed: ${r.stderr}`);
  return r.stdout.trim();
}

/** `pocket-sign token verify` (Rust core) on `token`; returns the exit status, or null when the CLI lacks it. */
export function coreVerify(token, secretHex, now) {
  if (!rustTokenIssueAvailable()) return null;
  const r = spawnSync(BIN, ['token', 'verify', '--now', String(now), '-'], {
    encoding: 'utf8',
    input: token,
    env: { ...process.env, SPA_TOKEN_SECRET: secretHex },
  });
  return r.status;
}
