// Types of the `pocket-sign` package: the same exports for node, browsers and bundlers.
// The module is initialised on import (see index.js / node.js), so every function is
// synchronous. Errors are `Error` objects with `name === "PocketSignError"` and string
// properties `kind` (stable) and `domain`; see `PocketSignError` below.
export * from './pocket_sign_wasm.js';
