// Loads the .wasm for an entry point and turns every way that can fail into a rejected
// promise with a PocketSignError naming the cause (domain "load"), instead of a page that
// hangs or a bare CompileError. Bytes are instantiated with WebAssembly.instantiate (not the
// streaming variant), so the server's Content-Type does not matter.
import { PocketSignError } from './errors.js';

function loadError(kind, message, details) {
  const e = new PocketSignError(message, kind, 'load');
  if (details) Object.assign(e, details);
  return e;
}

const CSP_HINT = /content.security.policy|\bCSP\b|unsafe-eval/i;

/** Fetches `url` and returns its bytes, or rejects with WasmFetchFailed / WasmHttpError. */
export async function fetchWasm(url) {
  let res;
  try {
    res = await fetch(url);
  } catch (cause) {
    throw loadError('WasmFetchFailed', `pocket-sign: could not fetch ${url} (${cause && cause.message}): network error, or a Content-Security-Policy connect-src that does not allow it.`, { url: String(url), cause });
  }
  if (!res.ok) {
    throw loadError('WasmHttpError', `pocket-sign: ${url} answered HTTP ${res.status}${res.status === 404 ? ' (404 Not Found: the .wasm file was not deployed next to the JavaScript, or the bundler did not emit it)' : ''}.`, { url: String(url), status: res.status });
  }
  const bytes = new Uint8Array(await res.arrayBuffer());
  return checkMagic(bytes, url, res.headers.get('content-type'));
}

/** Refuses bytes that are not a wasm module (an HTML page from an SPA fallback route, ...). */
export function checkMagic(bytes, url, contentType) {
  if (bytes.length < 4 || bytes[0] !== 0x00 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) {
    const head = String.fromCharCode(...bytes.subarray(0, 64)).trimStart();
    const html = head.startsWith('<');
    throw loadError('WasmNotWasm', `pocket-sign: ${url || 'the wasm source'} is not WebAssembly (expected magic bytes 00 61 73 6d${contentType ? `, got Content-Type ${contentType}` : ''})${html ? ': the server sent an HTML page, typically an SPA fallback route answering index.html for unknown paths; serve the .wasm file itself' : ''}.`, { url: url ? String(url) : undefined, contentType: contentType || undefined });
  }
  return bytes;
}

/** Instantiates `bytes` with the wasm-bindgen `init`, naming a CSP refusal. */
export async function instantiate(init, bytes) {
  try {
    await init({ module_or_path: bytes });
  } catch (cause) {
    const msg = String(cause && cause.message);
    if (CSP_HINT.test(msg)) {
      throw loadError('WasmBlockedByCsp', "pocket-sign: the page's Content-Security-Policy does not allow WebAssembly: add 'wasm-unsafe-eval' to script-src (" + msg + ').', { cause });
    }
    throw loadError('WasmInstantiateFailed', `pocket-sign: the WebAssembly module could not be instantiated (${msg}).`, { cause });
  }
}
