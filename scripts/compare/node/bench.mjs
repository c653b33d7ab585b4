// Node rows of compare.sh: aws-jwt-verify (warm JWKS cache via cacheJwks, verifySync),
// @aws-sdk/cloudfront-signer getSignedUrl, and pocket-sign's WASM package when it is built.
//
// Usage: node bench.mjs FIXTURES_JSON OUT_JSON SECONDS [WASM_PKG_DIR]
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import { createHmac, createVerify, timingSafeEqual } from "node:crypto";
import { CognitoJwtVerifier } from "aws-jwt-verify";
import { getSignedUrl } from "@aws-sdk/cloudfront-signer";

const [fixturesPath, outPath, secondsArg, wasmDir] = process.argv.slice(2);
const fx = JSON.parse(readFileSync(fixturesPath, "utf8"));
const seconds = Number(secondsArg);
const rows = [];
const samples = {};
const errors = [];

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

// Process CPU time in seconds (user + system): on a shared machine the wall clock also counts
// the time other processes hold the core (harness.py and the Rust benches use CPU time too).
function cpuSeconds() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

// Median calls/second of CPU time over 5 batches of ~seconds/5 each (same scheme as harness.py).
function measure(fn) {
  let n = 1;
  let dt;
  for (;;) {
    const t0 = cpuSeconds();
    for (let i = 0; i < n; i++) fn();
    dt = cpuSeconds() - t0;
    if (dt >= Math.min(0.02, seconds / 10) || n >= 1 << 24) break;
    n *= 4;
  }
  const perBatch = Math.max(1, Math.floor((n * (seconds / 5)) / Math.max(dt, 1e-9)));
  const rates = [];
  for (let b = 0; b < 5; b++) {
    const t0 = cpuSeconds();
    for (let i = 0; i < perBatch; i++) fn();
    rates.push(perBatch / (cpuSeconds() - t0));
  }
  return median(rates);
}

function add(id, key, impl, fn, perCall = 1, unit = "op") {
  try {
    const rate = measure(fn) * perCall;
    rows.push({ id, key, impl, ops_per_sec: rate, unit, source: "node" });
    process.stderr.write(`  ${id.padEnd(22)} ${impl.padEnd(44)} ${Math.round(rate).toLocaleString("en-US").padStart(14)} ${unit}/s\n`);
  } catch (e) {
    errors.push(`${id}/${impl}: ${e}`);
  }
}

// ---- aws-jwt-verify, warm cache -------------------------------------------------------------
const verifier = CognitoJwtVerifier.create({
  userPoolId: fx.user_pool_id,
  tokenUse: "access",
  clientId: fx.client_id,
});
verifier.cacheJwks(fx.jwks);
const token = fx.access_token;
const payload = verifier.verifySync(token);
if (payload.username !== "bench-user") throw new Error("aws-jwt-verify: wrong payload");
let rejected = false;
try {
  verifier.verifySync(token.slice(0, -4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA"));
} catch {
  rejected = true;
}
if (!rejected) throw new Error("aws-jwt-verify accepted a bad signature");
add("jwt.verify", "aws_jwt_verify", "aws-jwt-verify (node, cacheJwks + verifySync)", () => verifier.verifySync(token));

// ---- @aws-sdk/cloudfront-signer --------------------------------------------------------------
const dateLessThan = new Date(fx.expires * 1000).toISOString();
const signArgs = { url: fx.url, keyPairId: fx.key_pair_id, privateKey: fx.rsa_private_pem, dateLessThan };
const canned = getSignedUrl(signArgs);
samples.url_canned_aws_sdk_js = canned;
// Check the signature against the public key (CloudFront base64: -_~ for +=/).
{
  const q = new URL(canned).searchParams;
  const sig = Buffer.from(q.get("Signature").replace(/-/g, "+").replace(/_/g, "=").replace(/~/g, "/"), "base64");
  const policy = `{"Statement":[{"Resource":"${fx.url}","Condition":{"DateLessThan":{"AWS:EpochTime":${fx.expires}}}}]}`;
  const v = createVerify("RSA-SHA1");
  v.update(policy);
  if (!v.verify(fx.rsa_public_pem, sig)) throw new Error("@aws-sdk/cloudfront-signer: bad signature");
}
add("url.canned", "aws_sdk_js", "@aws-sdk/cloudfront-signer (node)", () => getSignedUrl(signArgs));
add(
  "page50.per_url",
  "aws_sdk_js",
  "@aws-sdk/cloudfront-signer (node)",
  () => fx.page_urls.map((url) => getSignedUrl({ ...signArgs, url })),
  fx.page_urls.length,
  "url",
);

// ---- SPA token verify in JS with node:crypto (magic-pocket's CloudFront Function algorithm) --
function nodeVerifySpa(tok, secretHex, nowSec) {
  const parts = tok.split(":");
  if (parts.length !== 3) return null;
  const expiry = parseInt(parts[1], 10);
  if (!Number.isFinite(expiry) || nowSec > expiry) return null;
  const mac = createHmac("sha256", Buffer.from(secretHex, "hex")).update(`${parts[0]}:${parts[1]}`).digest();
  const got = Buffer.from(parts[2], "hex");
  if (got.length !== mac.length || !timingSafeEqual(got, mac)) return null;
  return parts[0];
}
const spaExpiry = Math.floor(Date.now() / 1000) + 3600;
const spaToken = `${fx.spa_user_id}:${spaExpiry}:` +
  createHmac("sha256", Buffer.from(fx.spa_secret_hex, "hex")).update(`${fx.spa_user_id}:${spaExpiry}`).digest("hex");
if (nodeVerifySpa(spaToken, fx.spa_secret_hex, Math.floor(Date.now() / 1000)) !== fx.spa_user_id) throw new Error("node SPA verify");
if (nodeVerifySpa(spaToken.slice(0, -1) + (spaToken.endsWith("0") ? "1" : "0"), fx.spa_secret_hex, Math.floor(Date.now() / 1000)) !== null) throw new Error("node SPA verify accepted a bad token");
add("spa.verify", "node_crypto", "node:crypto HMAC in JS (CloudFront Function algorithm)", () =>
  nodeVerifySpa(spaToken, fx.spa_secret_hex, Math.floor(Date.now() / 1000)));

// ---- pocket-sign WASM (nodejs target) when built ----------------------------------------------
if (wasmDir && existsSync(wasmDir)) {
  try {
    const { benchWasm } = await import("./wasm.mjs");
    await benchWasm({ fx, wasmDir, add, samples, errors, spaToken, require: createRequire(import.meta.url) });
  } catch (e) {
    errors.push(`wasm: ${e && e.stack ? e.stack.split("\n").slice(0, 3).join(" | ") : e}`);
  }
}

writeFileSync(outPath, JSON.stringify({ source: "node", rows, samples, errors }, null, 1));
