// Types of the `pocket-sign` package: the same exports for node, browsers and bundlers.
// The module is initialised on import (see index.js / node.js), so every function is
// synchronous. `api.d.ts` is wasm-bindgen's declaration file without its init section, so
// these declarations need no DOM lib.
import type { JwtHeader, JwtPayload, UnverifiedJwt, VerifyJwtOptions } from './api.js';
export * from './api.js';
export { PocketSignError } from './errors.js';
export type { PocketSignErrorDomain, PocketSignErrorKind, PocketSignErrorKinds } from './errors.js';

/**
 * Header and payload of a compact JWS, NOT verified (`verified: false`), members in token
 * order. `P` types the payload (default `JwtPayload`): it is an assertion, nothing checks it.
 * Throws `PocketSignError` kind `Parse`, `TooLarge`, `InvalidSignatureAlgorithm`,
 * `InvalidArgument`.
 */
export declare function decodeJwt<P = JwtPayload, H = JwtHeader>(token: string): UnverifiedJwt<P, H>;

/**
 * Synchronous verification against a JWKS (JSON text or object), parsing the JWKS on every
 * call (keep a `JwksVerifier` instead when verifying more than once). Returns the verified
 * payload (claims in token order), typed as `P`.
 */
export declare function verifyJwt<P = JwtPayload>(token: string, jwks: string | { keys: object[] }, options: VerifyJwtOptions): P;
