// Error types of the `pocket-sign` package (every entry point). Hand-written; no DOM types.

/**
 * The `kind` values of each `domain`: the Rust core's error variant names (its error-kind
 * contract, the same strings the Python package and the CLI report), plus the binding's own
 * `input` and `load` kinds.
 */
export interface PocketSignErrorKinds {
  /** A JS argument of the wrong type or out of range, an unknown option. */
  input: "InvalidArgument" | "Internal";
  /** SPA tokens and the companion session cookie. */
  spaToken: "Malformed" | "BadSignature" | "Expired" | "InvalidSecret" | "InvalidUserId" | "ExpiryOverflow";
  /**
   * JWT decoding and verification: the core's `JwtError` variants. The matching aws-jwt-verify
   * class name is the error's `awsJwtVerifyClass` property (`"JwtExpiredError"`, ...).
   */
  jwt:
    | "Parse" | "TooLarge" | "InvalidSignatureAlgorithm" | "InvalidSignature" | "Expired"
    | "NotBefore" | "InvalidIssuer" | "InvalidAudience" | "InvalidScope" | "InvalidClaim"
    | "InvalidTokenUse" | "InvalidClientId" | "InvalidGroup" | "WithoutValidKid"
    | "KidNotFoundInJwks" | "JwkInvalid" | "JwkInvalidKty" | "JwkInvalidUse" | "JwksInvalid"
    | "ParameterValidation";
  /** CloudFront policy building. */
  cloudfront: "StartNotBeforeExpiry" | "InvalidIpAddress" | "Ipv6NotSupported" | "InvalidUrl";
  /** `pocket.toml` parsing and CloudFront Function generation. */
  codegen: "Toml" | "Schema" | "UnknownStage" | "Constraints" | "UnknownDistribution" | "UnknownRoute" | "TooLarge";
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
 * `violations`/`rules` for `Constraints`, `status`/`url` for `WasmHttpError`, and
 * `awsJwtVerifyClass` on every `jwt` error). Narrow with
 * `e.domain === "jwt"` to get that domain's kinds. Messages never contain secrets.
 */
export declare class PocketSignError<D extends PocketSignErrorDomain = PocketSignErrorDomain> extends Error {
  constructor(message: string, kind: PocketSignErrorKinds[D], domain: D);
  name: "PocketSignError";
  readonly kind: PocketSignErrorKinds[D];
  readonly domain: D;
  [detail: string]: unknown;
}
