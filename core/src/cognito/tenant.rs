//! Tenant resolution for one Cognito user pool shared by several tenants, as a pure function:
//! the rules of magic-pocket's Django Ninja example (`_resolve_tenant_id` and
//! `CognitoAuth.authenticate` in `user/auth.py`), made safe by default.
//!
//! Rules:
//! - disabled (`MULTI_TENANT_ENABLED=0`): `Ok(None)`;
//! - the token side is the claim [`TenantConfig::claim_name`] (default `custom:tenant_id`);
//!   a missing or empty claim counts as absent; a claim that is not a string is refused
//!   ([`TenantError::ClaimNotString`]; the example would compare it unequal and answer 403);
//! - `header` mode: the request side is the value of [`TenantConfig::header_name`] (default
//!   `X-Tenant-Id`; the caller looks the header up case-insensitively and passes its value);
//! - `subdomain` mode: the request side is the first label of the `Host` (port removed) when the
//!   host is under [`TenantConfig::main_domain`] and has more labels than it; without a main
//!   domain, the first label of a host with at least three labels. The example tests
//!   `host.endswith(main_domain)`, so `a.evil-example.com` passes for `example.com`; here the
//!   host must equal the main domain or end with `.` + main domain (ASCII case-insensitive);
//! - in both modes **the token decides**: a request value is granted only when the claim is
//!   present and equal to it. A request value with a different claim is
//!   [`TenantError::Mismatch`] when [`TenantConfig::strict`] (the example's 403), else the claim
//!   wins silently; a request value with **no claim** is [`TenantError::ClaimMissing`] (403),
//!   whatever `strict` says, unless [`TenantConfig::trust_request_without_claim`] is set. No
//!   request value: the claim. A claim, when present, always wins over the request.
//!
//!   The example instead granted the request value whenever the token had no claim (Cognito
//!   *access* tokens carry no `custom:*` attribute unless a pre token generation Lambda trigger
//!   adds it, so any user of the pool could pick any tenant), and with `TENANT_STRICT=False` let
//!   the request override the claim. Only the first is available again, and only through the
//!   explicit [`TenantConfig::trust_request_without_claim`];
//! - `claim` mode: the claim only;
//! - nothing found and `require` set (the example's "Tenant not provided", 400):
//!   [`TenantError::NotProvided`].

use alloc::string::{String, ToString};
use core::str::FromStr;

use serde_json::{Map, Value};

/// Where the tenant id comes from (`TENANT_MODE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum TenantMode {
    /// From a request header (default), cross-checked with the token claim.
    #[default]
    Header,
    /// From the first label of the request host, cross-checked with the token claim.
    Subdomain,
    /// From the token claim only.
    Claim,
}

impl FromStr for TenantMode {
    type Err = TenantError;
    /// Parses `header`, `subdomain` or `claim` (exact, lower case).
    fn from_str(s: &str) -> Result<Self, TenantError> {
        match s {
            "header" => Ok(TenantMode::Header),
            "subdomain" => Ok(TenantMode::Subdomain),
            "claim" => Ok(TenantMode::Claim),
            other => Err(TenantError::InvalidMode(other.chars().take(32).collect())),
        }
    }
}

/// Tenant settings; defaults as the Django Ninja example's `settings.py`, plus
/// [`TenantConfig::trust_request_without_claim`] (default `false`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantConfig {
    /// `MULTI_TENANT_ENABLED` (default `true`).
    pub enabled: bool,
    /// `TENANT_MODE` (default [`TenantMode::Header`]).
    pub mode: TenantMode,
    /// `TENANT_HEADER` (default `X-Tenant-Id`); informative for callers that look it up.
    pub header_name: String,
    /// `TENANT_STRICT` (default `true`): a request value that differs from the claim is
    /// [`TenantError::Mismatch`]; when `false` the claim wins and the request value is ignored.
    pub strict: bool,
    /// `TENANT_MAIN_DOMAIN` (default empty), e.g. `example.com`; a leading `.` is ignored.
    pub main_domain: String,
    /// `COGNITO_TENANT_CLAIM` (default `custom:tenant_id`).
    pub claim_name: String,
    /// Refuse a request where no tenant was found (default `true`, the example's 400).
    pub require: bool,
    /// `TENANT_TRUST_REQUEST_WITHOUT_CLAIM` (default `false`): grant the request's tenant
    /// (header or subdomain) when the token has **no** tenant claim, as the Django Ninja example
    /// did. Unsafe unless every token of the pool carries the claim or the tenant choice is not
    /// an access decision: any user of the pool then picks any tenant. A present claim still
    /// wins over the request.
    pub trust_request_without_claim: bool,
}

impl Default for TenantConfig {
    fn default() -> Self {
        TenantConfig {
            enabled: true,
            mode: TenantMode::Header,
            header_name: "X-Tenant-Id".to_string(),
            strict: true,
            main_domain: String::new(),
            claim_name: "custom:tenant_id".to_string(),
            require: true,
            trust_request_without_claim: false,
        }
    }
}

/// Why no tenant could be resolved. Front ends answer 403 for [`TenantError::Mismatch`] and
/// [`TenantError::ClaimMissing`], 400 for [`TenantError::NotProvided`] and 500 for
/// [`TenantError::InvalidMode`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TenantError {
    /// `TENANT_MODE` is not `header`, `subdomain` or `claim`.
    #[error("tenant mode {0:?} is not header, subdomain or claim")]
    InvalidMode(String),
    /// The request's tenant (header or subdomain) differs from the token's claim (strict mode).
    #[error("tenant mismatch between {source_name} {request:?} and token claim {claim:?}")]
    Mismatch {
        /// `"header"` or `"subdomain"`.
        source_name: &'static str,
        /// The tenant named by the request.
        request: String,
        /// The tenant named by the token.
        claim: String,
    },
    /// The request names a tenant (header or subdomain) but the token has no tenant claim to
    /// check it against, and [`TenantConfig::trust_request_without_claim`] is off.
    #[error(
        "the {source_name} names tenant {request:?} but the token has no {claim_name:?} claim"
    )]
    ClaimMissing {
        /// `"header"` or `"subdomain"`.
        source_name: &'static str,
        /// The tenant named by the request (at most 64 characters).
        request: String,
        /// The claim that was looked for ([`TenantConfig::claim_name`]).
        claim_name: String,
    },
    /// The token's tenant claim is present but not a string.
    #[error("token claim {0:?} is not a string")]
    ClaimNotString(String),
    /// No tenant in the request or the token, and one is required.
    #[error("no tenant was provided")]
    NotProvided,
}

impl TenantError {
    /// The stable machine-readable kind: the variant name (`"Mismatch"`, `"NotProvided"`, ...), per the
    /// [error-kind contract](crate::error_kind). Never formats the variant's data.
    pub fn kind(&self) -> &'static str {
        crate::error_kind::variant_kind!(self, TenantError { InvalidMode(..), Mismatch { .. }, ClaimMissing { .. }, ClaimNotString(..), NotProvided })
    }
}

/// Resolves the tenant of a request (see the module docs for every rule).
///
/// `header_value`: the value of [`TenantConfig::header_name`], if the request has it;
/// `host`: the request's `Host` (may include `:port`); `claims`: the **verified** token claims.
/// Returns `Ok(None)` only when multi-tenancy is disabled or `require` is off and nothing was
/// found. Errors: [`TenantError`].
pub fn resolve_tenant(
    config: &TenantConfig,
    header_value: Option<&str>,
    host: Option<&str>,
    claims: &Map<String, Value>,
) -> Result<Option<String>, TenantError> {
    if !config.enabled {
        return Ok(None);
    }
    let claim = match claims.get(&config.claim_name) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.is_empty() => None,
        Some(Value::String(s)) => Some(s.as_str()),
        Some(_) => return Err(TenantError::ClaimNotString(config.claim_name.clone())),
    };
    let (source_name, request) = match config.mode {
        TenantMode::Claim => ("claim", None),
        TenantMode::Header => ("header", header_value.filter(|v| !v.is_empty())),
        TenantMode::Subdomain => (
            "subdomain",
            host.and_then(|h| tenant_from_subdomain(h, &config.main_domain)),
        ),
    };
    let granted = match (request, claim) {
        (Some(r), Some(c)) if r != c => {
            if config.strict {
                return Err(TenantError::Mismatch {
                    source_name,
                    request: r.chars().take(64).collect(),
                    claim: c.chars().take(64).collect(),
                });
            }
            Some(c)
        }
        (Some(r), None) => {
            if !config.trust_request_without_claim {
                return Err(TenantError::ClaimMissing {
                    source_name,
                    request: r.chars().take(64).collect(),
                    claim_name: config.claim_name.chars().take(64).collect(),
                });
            }
            Some(r)
        }
        (_, c) => c,
    };
    match granted {
        Some(t) => Ok(Some(t.to_string())),
        None if config.require => Err(TenantError::NotProvided),
        None => Ok(None),
    }
}

/// The tenant label of `host` (the example's `_tenant_from_subdomain`, with the label-boundary
/// fix):
/// `None` when the host is empty, not under `main_domain`, or has too few labels.
pub fn tenant_from_subdomain<'h>(host: &'h str, main_domain: &str) -> Option<&'h str> {
    let h = host.split(':').next().unwrap_or("");
    if h.is_empty() {
        return None;
    }
    let first = h.split('.').next().filter(|l| !l.is_empty());
    let labels = h.split('.').count();
    let main = main_domain.trim_start_matches('.');
    if !main.is_empty() {
        let main_labels = main.split('.').count();
        let under = h.len() > main.len()
            && h.get(h.len() - main.len()..)
                .is_some_and(|tail| tail.eq_ignore_ascii_case(main))
            && h.as_bytes().get(h.len() - main.len() - 1) == Some(&b'.');
        return if under && labels > main_labels {
            first
        } else {
            None
        };
    }
    if labels >= 3 {
        first
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn claims(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap()
    }

    #[test]
    fn subdomain_extraction() {
        assert_eq!(
            tenant_from_subdomain("acme.example.com", "example.com"),
            Some("acme")
        );
        assert_eq!(
            tenant_from_subdomain("acme.example.com:8000", "example.com"),
            Some("acme")
        );
        assert_eq!(
            tenant_from_subdomain("a.b.example.com", "example.com"),
            Some("a")
        );
        assert_eq!(
            tenant_from_subdomain("ACME.Example.COM", ".example.com"),
            Some("ACME")
        );
        assert_eq!(tenant_from_subdomain("example.com", "example.com"), None);
        assert_eq!(
            tenant_from_subdomain("acme.evilexample.com", "example.com"),
            None
        );
        assert_eq!(
            tenant_from_subdomain("acme.example.org", "example.com"),
            None
        );
        assert_eq!(tenant_from_subdomain(".example.com", "example.com"), None);
        assert_eq!(tenant_from_subdomain("", "example.com"), None);
        assert_eq!(
            tenant_from_subdomain("tenant.api.local", ""),
            Some("tenant")
        );
        assert_eq!(tenant_from_subdomain("api.local:80", ""), None);
        assert_eq!(tenant_from_subdomain("localhost", ""), None);
    }

    #[test]
    fn header_mode() {
        let c = TenantConfig::default();
        let tok = claims(json!({"custom:tenant_id": "t1"}));
        let none = claims(json!({}));
        assert_eq!(
            resolve_tenant(&c, Some("t1"), None, &tok),
            Ok(Some("t1".into()))
        );
        assert_eq!(resolve_tenant(&c, None, None, &tok), Ok(Some("t1".into())));
        assert_eq!(
            resolve_tenant(&c, Some(""), None, &tok),
            Ok(Some("t1".into()))
        );
        // A header with no claim to check it against is refused (any user could pick any tenant).
        assert_eq!(
            resolve_tenant(&c, Some("t2"), None, &none),
            Err(TenantError::ClaimMissing {
                source_name: "header",
                request: "t2".into(),
                claim_name: "custom:tenant_id".into(),
            })
        );
        assert!(matches!(
            resolve_tenant(&c, Some("t2"), None, &tok),
            Err(TenantError::Mismatch {
                source_name: "header",
                ..
            })
        ));
        assert_eq!(
            resolve_tenant(&c, None, None, &none),
            Err(TenantError::NotProvided)
        );
        let lax = TenantConfig {
            strict: false,
            require: false,
            ..c.clone()
        };
        // Not strict: the claim wins over a different header (it used to be the header).
        assert_eq!(
            resolve_tenant(&lax, Some("t2"), None, &tok),
            Ok(Some("t1".into()))
        );
        // Not strict does not mean "trust the header": still refused without a claim.
        assert!(matches!(
            resolve_tenant(&lax, Some("t2"), None, &none),
            Err(TenantError::ClaimMissing { .. })
        ));
        assert_eq!(resolve_tenant(&lax, None, None, &none), Ok(None));
        let bad = claims(json!({"custom:tenant_id": 5}));
        assert_eq!(
            resolve_tenant(&c, Some("5"), None, &bad),
            Err(TenantError::ClaimNotString("custom:tenant_id".into()))
        );
        let off = TenantConfig {
            enabled: false,
            ..c
        };
        assert_eq!(resolve_tenant(&off, Some("x"), None, &bad), Ok(None));
    }

    #[test]
    fn trust_request_without_claim_is_explicit() {
        let none = claims(json!({}));
        let empty = claims(json!({"custom:tenant_id": ""}));
        let null = claims(json!({"custom:tenant_id": null}));
        let tok = claims(json!({"custom:tenant_id": "t1"}));
        for strict in [true, false] {
            let safe = TenantConfig {
                strict,
                ..TenantConfig::default()
            };
            for silent in [&none, &empty, &null] {
                assert!(matches!(
                    resolve_tenant(&safe, Some("t2"), None, silent),
                    Err(TenantError::ClaimMissing { .. })
                ));
            }
            let trust = TenantConfig {
                trust_request_without_claim: true,
                ..safe.clone()
            };
            assert_eq!(
                resolve_tenant(&trust, Some("t2"), None, &none),
                Ok(Some("t2".into()))
            );
            assert_eq!(
                resolve_tenant(&trust, Some("t2"), None, &empty),
                Ok(Some("t2".into()))
            );
            // A present claim still wins over the request, trusted or not.
            let got = resolve_tenant(&trust, Some("t2"), None, &tok);
            if strict {
                assert!(matches!(got, Err(TenantError::Mismatch { .. })));
            } else {
                assert_eq!(got, Ok(Some("t1".into())));
            }
            assert_eq!(
                resolve_tenant(&trust, Some("t1"), None, &tok),
                Ok(Some("t1".into()))
            );
        }
        let sub = TenantConfig {
            mode: TenantMode::Subdomain,
            main_domain: "example.com".into(),
            ..TenantConfig::default()
        };
        assert_eq!(
            resolve_tenant(&sub, None, Some("acme.example.com"), &none),
            Err(TenantError::ClaimMissing {
                source_name: "subdomain",
                request: "acme".into(),
                claim_name: "custom:tenant_id".into(),
            })
        );
        let long = "x".repeat(10_000);
        match resolve_tenant(&TenantConfig::default(), Some(long.as_str()), None, &none) {
            Err(TenantError::ClaimMissing { request, .. }) => assert_eq!(request.len(), 64),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn subdomain_and_claim_modes() {
        let c = TenantConfig {
            mode: TenantMode::Subdomain,
            main_domain: "example.com".into(),
            ..TenantConfig::default()
        };
        let tok = claims(json!({"custom:tenant_id": "acme"}));
        let none = claims(json!({}));
        assert_eq!(
            resolve_tenant(&c, Some("zzz"), Some("acme.example.com"), &tok),
            Ok(Some("acme".into()))
        );
        assert!(matches!(
            resolve_tenant(&c, None, Some("other.example.com"), &tok),
            Err(TenantError::Mismatch {
                source_name: "subdomain",
                ..
            })
        ));
        assert_eq!(
            resolve_tenant(&c, None, Some("example.com"), &tok),
            Ok(Some("acme".into()))
        );
        assert_eq!(
            resolve_tenant(&c, None, Some("example.com"), &none),
            Err(TenantError::NotProvided)
        );
        let cm = TenantConfig {
            mode: TenantMode::Claim,
            claim_name: "custom:org".into(),
            ..TenantConfig::default()
        };
        let org = claims(json!({"custom:org": "o1", "custom:tenant_id": "t"}));
        assert_eq!(
            resolve_tenant(&cm, Some("h"), Some("x.y.z"), &org),
            Ok(Some("o1".into()))
        );
        assert_eq!(
            resolve_tenant(&cm, Some("h"), None, &none),
            Err(TenantError::NotProvided)
        );
        assert_eq!("subdomain".parse::<TenantMode>(), Ok(TenantMode::Subdomain));
        assert_eq!(
            "Header".parse::<TenantMode>(),
            Err(TenantError::InvalidMode("Header".into()))
        );
    }
}
