// Entry point for node (package.json "exports" → "node"): node's fetch() cannot read file:
// URLs, so the .wasm is read from disk and instantiated synchronously.
import { readFileSync } from 'node:fs';
import { initSync } from './pocket_sign_wasm.js';

initSync({ module: readFileSync(new URL('./pocket_sign_wasm_bg.wasm', import.meta.url)) });

export * from './pocket_sign_wasm.js';
export { PocketSignError } from './errors.js';
