// Entry point for browsers and bundlers (package.json "exports" → "default"): the full
// package. Fetches and instantiates the .wasm next to this file once, with top-level await, so
// that every export is synchronous afterwards. A failed load rejects the import with a
// PocketSignError naming the cause (HTTP status, HTML instead of wasm, CSP). For an SPA prefer
// `pocket-sign/spa` (small, wasm inlined, explicit `init()`, no top-level await).
// Bundlers (webpack 5, Vite) see `new URL('…wasm', import.meta.url)` and emit the .wasm.
import init from './pocket_sign_wasm.js';
import { fetchWasm, instantiate } from './load.js';

await instantiate(init, await fetchWasm(new URL('./pocket_sign_wasm_bg.wasm', import.meta.url)));

export * from './pocket_sign_wasm.js';
export { PocketSignError } from './errors.js';
