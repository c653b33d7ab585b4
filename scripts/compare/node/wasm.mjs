// pocket-sign's WASM package (bindings-wasm, nodejs build) on the same inputs as the node peers.
// The WASM package takes no private keys (no CloudFront signing: that stays server-side), so its
// rows are verification: SPA token verify and JWT verify against a JWKS given in the call.
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { readFileSync } from "node:fs";

export async function benchWasm({ fx, wasmDir, add, samples, errors, spaToken }) {
  const pkg = JSON.parse(readFileSync(join(wasmDir, "package.json"), "utf8"));
  const entry = pkg.main || pkg.module || "index.js"; // node.js: synchronous init from the file
  const mod = await import(pathToFileURL(join(wasmDir, entry)).href);
  if (typeof mod.default === "function" && !mod.verifySpaToken) await mod.default();
  const w = mod.verifySpaToken ? mod : mod.default;
  samples.pocket_sign_wasm_version = pkg.version;
  const now = Math.floor(Date.now() / 1000);

  if (typeof w.verifySpaToken === "function") {
    const ok = w.verifySpaToken(spaToken, fx.spa_secret_hex, now);
    const uid = typeof ok === "string" ? ok : ok && (ok.userId ?? ok.user_id);
    if (uid !== fx.spa_user_id) throw new Error(`wasm verifySpaToken: wrong result ${JSON.stringify(ok)}`);
    let forged = false;
    try {
      w.verifySpaToken(spaToken.slice(0, -1) + (spaToken.endsWith("0") ? "1" : "0"), fx.spa_secret_hex, now);
      forged = true;
    } catch {}
    if (forged) throw new Error("wasm verifySpaToken accepted a bad signature");
    add("spa.verify", "wasm", "pocket-sign WASM verifySpaToken (node)", () =>
      w.verifySpaToken(spaToken, fx.spa_secret_hex, now));
  } else errors.push("wasm: no verifySpaToken export");

  // Key kept across calls (SpaTokenVerifier), the shape a server keeps for its process.
  if (typeof w.SpaTokenVerifier === "function") {
    const spaVerifier = new w.SpaTokenVerifier(fx.spa_secret_hex);
    if (spaVerifier.verify(spaToken, now).userId !== fx.spa_user_id) throw new Error("wasm SpaTokenVerifier: wrong result");
    let forged = false;
    try {
      spaVerifier.verify(spaToken.slice(0, -1) + (spaToken.endsWith("0") ? "1" : "0"), now);
      forged = true;
    } catch {}
    if (forged) throw new Error("wasm SpaTokenVerifier accepted a bad signature");
    add("spa.verify", "wasm_kept_key", "pocket-sign WASM SpaTokenVerifier.verify (node, key kept)", () =>
      spaVerifier.verify(spaToken, now));
  }

  if (typeof w.verifyJwt === "function") {
    const jwks = JSON.stringify(fx.jwks);
    const options = { issuer: fx.issuer, tokenUse: "access", clientId: fx.client_id, now };
    let claims = w.verifyJwt(fx.access_token, jwks, options);
    if (typeof claims === "string") claims = JSON.parse(claims);
    if (!claims || claims.username !== "bench-user") throw new Error("wasm verifyJwt: wrong claims");
    const tok = fx.access_token;
    let accepted = false;
    try {
      w.verifyJwt(tok.slice(0, -4) + (tok.endsWith("AAAA") ? "BBBB" : "AAAA"), jwks, options);
      accepted = true;
    } catch {}
    if (accepted) throw new Error("wasm verifyJwt accepted a bad signature");
    add("jwt.verify", "wasm", "pocket-sign WASM verifyJwt (node, JWKS per call)", () =>
      w.verifyJwt(fx.access_token, jwks, options));
  } else errors.push("wasm: no verifyJwt export");

  // JWKS parsed once and kept (JwksVerifier), like aws-jwt-verify's cacheJwks + verifySync.
  if (typeof w.JwksVerifier === "function") {
    const options = { issuer: fx.issuer, tokenUse: "access", clientId: fx.client_id, now };
    const kept = new w.JwksVerifier(fx.jwks, options);
    if (kept.verify(fx.access_token).username !== "bench-user") throw new Error("wasm JwksVerifier: wrong claims");
    const tok = fx.access_token;
    let accepted = false;
    try {
      kept.verify(tok.slice(0, -4) + (tok.endsWith("AAAA") ? "BBBB" : "AAAA"));
      accepted = true;
    } catch {}
    if (accepted) throw new Error("wasm JwksVerifier accepted a bad signature");
    add("jwt.verify", "wasm_kept_keys", "pocket-sign WASM JwksVerifier.verify (node, JWKS kept)", () =>
      kept.verify(fx.access_token));
  } else errors.push("wasm: no JwksVerifier export");
}
