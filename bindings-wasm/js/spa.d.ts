// Types of `pocket-sign/spa` (no DOM lib needed). Call `await init()` once before the rest.
import type { JwtHeader, JwtPayload, SpaSession, UnverifiedJwt } from './spa/api.js';
export type { JwtHeader, JwtPayload, SpaSession, UnverifiedJwt } from './spa/api.js';
export { PocketSignError } from './errors.js';
export type { PocketSignErrorDomain, PocketSignErrorKind, PocketSignErrorKinds } from './errors.js';

/**
 * Instantiates the inlined wasm once (later calls return the same promise). Rejects with a
 * `PocketSignError` of domain `"load"`: `WasmBlockedByCsp` (add `'wasm-unsafe-eval'` to the
 * CSP `script-src`) or `WasmInstantiateFailed`.
 */
export declare function init(): Promise<void>;
/** Whether `init()` has completed. */
export declare function isInitialized(): boolean;

/**
 * The logged-in user and token expiry (unix seconds) from the companion `pocket-spa-session`
 * cookie that the Django `spa_login` sets next to the HttpOnly token; `null` when logged out.
 * `cookies` defaults to `document.cookie`. UNVERIFIED: display and renewal timing only.
 * Throws kind `Malformed` (domain `spaToken`), `InvalidArgument`, `NotInitialized`.
 */
export declare function session(cookies?: string): SpaSession | null;
/** Seconds until the session's token expires (`expiry - now`, negative once expired), `null` when logged out. */
export declare function sessionExpiresIn(now?: number, cookies?: string): number | null;
/** Header and payload of a JWT, NOT verified, members in token order; `P` types the payload. */
export declare function decodeJwt<P = JwtPayload, H = JwtHeader>(token: string): UnverifiedJwt<P, H>;
/** `exp - now` in seconds, UNVERIFIED; `null` without a numeric `exp`. */
export declare function jwtExpiresIn(token: string, now?: number): number | null;
/** Whether a CloudFront policy `Resource` pattern (`*`, `?`) covers `url`. */
export declare function resourceMatches(pattern: string, url: string): boolean;
/** The package version. */
export declare function version(): string;
