// Entry point for browsers and bundlers (package.json "exports" → "default").
// Fetches and instantiates the .wasm next to this file once, with top-level await, so that
// every export is synchronous afterwards: `import { parseSpaToken } from 'pocket-sign'`.
// Bundlers (webpack 5, Vite, Rollup, esbuild) see `new URL('…wasm', import.meta.url)` in the
// wasm-bindgen glue and emit the .wasm as an asset.
import init from './pocket_sign_wasm.js';

await init({ module_or_path: new URL('./pocket_sign_wasm_bg.wasm', import.meta.url) });

export * from './pocket_sign_wasm.js';
