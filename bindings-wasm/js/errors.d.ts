// Error types of the `pocket-sign` package (every entry point). Hand-written; no DOM types.

/** The `kind` values of each `domain`. */
export interface PocketSignErrorKinds {
  /** A JS argument of the wrong type or out of range, an unknown option. */
  input: "InvalidArgument" | "Internal";
  /** SPA tokens and the companion session cookie. */
  spaToken: "Malformed" | "BadSignature" | "Expired" | "InvalidSecret" | "InvalidUserId" | "ExpiryOverflow";
  /** JWT decoding and verification: aws-jwt-verify's class names. */
  jwt:
    | "JwtParseError" | "JwtInvalidSignatureAlgorithmError" | "JwtInvalidSignatureError"
    | "JwtExpiredError" | "JwtNotBeforeError" | "JwtInvalidIssuerError" | "JwtInvalidAudienceError"
    | "JwtInvalidScopeError" | "JwtInvalidClaimError" | "CognitoJwtInvalidTokenUseError"
    | "CognitoJwtInvalidClientIdError" | "CognitoJwtInvalidGroupError" | "JwtWithoutValidKidError"
    | "KidNotFoundInJwksError" | "JwkValidationError" | "JwkInvalidKtyError" | "JwkInvalidUseError"
    | "JwksValidationError" | "ParameterValidationError";
  /** CloudFront policy building. */
  cloudfront: "StartNotBeforeExpiry" | "InvalidIpAddress" | "Ipv6NotSupported" | "InvalidUrl";
  /** `pocket.toml` parsing and CloudFront Function generation. */
  codegen: "toml" | "schema" | "unknown-stage" | "constraints" | "unknown-distribution" | "unknown-route" | "too-large";
  /** Loading the `.wasm` (import of `pocket-sign`, `init()` of `pocket-sign/spa`). */
  load:
    | "WasmHttpError" | "WasmFetchFailed" | "WasmNotWasm" | "WasmBlockedByCsp"
    | "WasmInstantiateFailed" | "NotInitialized";
}

/** Where an error comes from. */
export type PocketSignErrorDomain = keyof PocketSignErrorKinds;

/** Every `kind`. */
export type PocketSignErrorKind = PocketSignErrorKinds[PocketSignErrorDomain];

/**
 * What every export throws: `instanceof Error`, `name` `"PocketSignError"`, a stable `kind`,
 * the `domain`, and for some kinds plain detail properties (`expiry`/`now` for `Expired`,
 * `violations`/`rules` for `constraints`, `status`/`url` for `WasmHttpError`). Narrow with
 * `e.domain === "jwt"` to get that domain's kinds. Messages never contain secrets.
 */
export declare class PocketSignError<D extends PocketSignErrorDomain = PocketSignErrorDomain> extends Error {
  constructor(message: string, kind: PocketSignErrorKinds[D], domain: D);
  name: "PocketSignError";
  readonly kind: PocketSignErrorKinds[D];
  readonly domain: D;
  [detail: string]: unknown;
}
