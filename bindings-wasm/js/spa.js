// `pocket-sign/spa`: the small entry for browser SPAs. The .wasm is inlined in
// ./spa/wasm-inline.js as base64 of its gzip compression (base64 of the raw module would
// compress about 30% worse in the served bundle; `DecompressionStream`, in every current
// browser and node >= 18, restores it in init()), so there is no asset for a bundler to emit or a server to route, and
// there is no top-level await: call `await init()` once, then every function is synchronous.
// A failed init rejects with a PocketSignError (domain "load") naming the cause; calling a
// function before init throws kind "NotInitialized" instead of failing somewhere inside.
import initGlue, * as glue from './spa/pocket_sign_spa.js';
import { WASM_GZIP_BASE64 } from './spa/wasm-inline.js';
import { PocketSignError } from './errors.js';
import { checkMagic, instantiate } from './load.js';

export { PocketSignError };

let ready = false;
let pending = null;

function decodeBase64(text) {
  if (typeof Uint8Array.fromBase64 === 'function') return Uint8Array.fromBase64(text);
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i += 1) out[i] = bin.charCodeAt(i);
  return out;
}

async function gunzip(bytes) {
  if (typeof DecompressionStream !== 'function') {
    throw new PocketSignError('pocket-sign/spa: this JavaScript engine has no DecompressionStream (browsers since 2023, node >= 18), needed to unpack the inlined wasm.', 'WasmInstantiateFailed', 'load');
  }
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * Instantiates the inlined wasm once (later calls return the same promise). Rejects with a
 * PocketSignError: kind "WasmBlockedByCsp" when the page's CSP lacks 'wasm-unsafe-eval',
 * "WasmInstantiateFailed" otherwise. A rejected init may be retried.
 */
export function init() {
  if (!pending) {
    pending = (async () => {
      const wasm = await gunzip(decodeBase64(WASM_GZIP_BASE64));
      await instantiate(initGlue, checkMagic(wasm, 'pocket-sign/spa inline wasm'));
      ready = true;
    })();
    pending.catch(() => { pending = null; });
  }
  return pending;
}

/** Whether `init()` has completed. */
export function isInitialized() {
  return ready;
}

function guard(name) {
  const f = glue[name];
  return (...args) => {
    if (!ready) {
      throw new PocketSignError(`pocket-sign/spa: call and await init() before ${name}().`, 'NotInitialized', 'load');
    }
    return f(...args);
  };
}

export const session = guard('session');
export const sessionExpiresIn = guard('sessionExpiresIn');
export const decodeJwt = guard('decodeJwt');
export const jwtExpiresIn = guard('jwtExpiresIn');
export const resourceMatches = guard('resourceMatches');
export const version = guard('version');
