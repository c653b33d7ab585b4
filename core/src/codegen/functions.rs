//! Which viewer-request function each cache behavior gets, and its name.
//!
//! CloudFront allows one viewer-request function per cache behavior, so every prelude a behavior
//! needs is merged into one function (magic-pocket does the same):
//!
//! | prelude | applies to | source |
//! | --- | --- | --- |
//! | host redirect (301) | every route, when `domain` and `redirect_from` are set | `redirect_from` |
//! | path guard (403 on `%2F`, `%5C`, `\`, `..` segments) | ungated S3 routes that can reach a gated prefix ([`needs_path_guard`]) | |
//! | basic auth (401) | S3 routes, when `basic_auth = true` (pocket-sign extension) | KVS `basic_auth` |
//! | token gate (302 to `login_path?next=`) | `require_token` routes | KVS `token_secret` |
//! | SPA fallback (URI rewrite) | `is_spa` routes | `spa_fallback_html` |
//! | API headers (`x-forwarded-host`, `x-pocket-viewer-ip`) | `api` / `lambda` routes | |
//! | drop a client-sent `x-pocket-origin-verify` | `api` / `lambda` routes, when `enable_origin_verify = true` | |

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::config::{Distribution, PocketConfig, Route};
use super::error::CodegenError;
use super::js::{self, Plan};

/// CloudFront Functions' maximum function code size in bytes ("Quotas on CloudFront Functions":
/// 10 KB).
pub const MAX_FUNCTION_SIZE: usize = 10 * 1024;
/// The runtime every generated function declares.
pub const RUNTIME: &str = "cloudfront-js-2.0";
/// Maximum length of a CloudFront function name (`[a-zA-Z0-9-_]{1,64}`).
pub const MAX_NAME_LEN: usize = 64;

/// One generated viewer-request function.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct GeneratedFunction {
    /// Function name, `[A-Za-z0-9_-]{1,64}`: `{project}-{stage}-{distribution}-{route}`, parts
    /// that are not set left out.
    pub name: String,
    /// Always [`RUNTIME`] (`cloudfront-js-2.0`).
    pub runtime: String,
    /// The cache behavior it is associated with: `default` or the route's path pattern.
    pub behavior: String,
    /// The JavaScript source, at most [`MAX_FUNCTION_SIZE`] bytes.
    pub code: String,
    /// KeyValueStore keys the function reads, in read order (`token_secret`: 64 hex chars;
    /// `token_secret_previous`: 64 hex chars, only during an SPA token secret rotation;
    /// `basic_auth`: `Basic base64(user:password)` or just the base64 part). Every key not in
    /// [`GeneratedFunction::optional_kvs_keys`] must exist in the KVS associated with the
    /// function. Empty when no KVS needs associating.
    pub kvs_keys: Vec<String>,
    /// The keys of [`GeneratedFunction::kvs_keys`] that may be absent: `token_secret_previous`
    /// (the gate then accepts only `token_secret`).
    pub optional_kvs_keys: Vec<String>,
}

/// The plan of one route of `dist` (empty when the behavior needs no function).
pub(crate) fn plan_for(dist: &Distribution, route: &Route) -> Plan {
    let mut p = Plan::default();
    if !dist.redirect_from.is_empty() {
        p.host_redirect = dist.domain.clone();
    }
    if needs_path_guard(dist, route) {
        p.path_guard = true;
    }
    if dist.basic_auth && !route.route_type.is_api() {
        p.basic_auth = true;
    }
    if route.require_token {
        p.token_gate = Some(route.login_path.clone());
    }
    if route.is_spa {
        p.spa_fallback = Some(route.fallback_uri());
    }
    if route.route_type.is_api() {
        p.api_headers = true;
        p.origin_verify = dist.enable_origin_verify;
    }
    p
}

/// The S3 key prefix a route serves: its origin path (the route's `origin_path`, else the
/// distribution's) without trailing `/`, then its path pattern up to the first `*` or `?`
/// (`/` for the default route, whose pattern is `*`). CloudFront appends the request URI to the
/// origin path, so every key this behavior can fetch starts with this prefix.
fn key_prefix(dist: &Distribution, route: &Route) -> String {
    let origin = route
        .origin_path
        .as_deref()
        .unwrap_or(&dist.origin_path)
        .trim_end_matches('/');
    let lit = if route.is_default {
        "/"
    } else {
        let p = route.path_pattern.as_str();
        &p[..p.find(['*', '?']).unwrap_or(p.len())]
    };
    let mut out = String::new();
    if !origin.is_empty() && !origin.starts_with('/') {
        out.push('/');
    }
    out.push_str(origin);
    if !lit.starts_with('/') {
        out.push('/');
    }
    out.push_str(lit);
    out
}

/// True when `route` is an ungated S3 behavior of a distribution with a `require_token` route
/// and encoded separators could take a request through it to a gated object.
///
/// CloudFront matches path patterns on the URI as sent, where `%2F` is not a `/` ("Cache
/// behavior settings: path pattern"), and S3 decodes the key, so `GET /admin%2Fapp.js` is served
/// by the default behavior but reads the key `{origin}/admin/app.js` that `/admin/*` gates. The
/// rule (conservative, string prefixes): the route's key prefix (origin path + path-pattern
/// prefix up to the first wildcard, `/` for the default route) and a gated
/// route's key prefix overlap (one starts with the other). One case is exempt because it cannot
/// leak: a non-default route against a gated *default* route over the same origin path (a
/// decoded URI that matches the route's own pattern is routed to it, never to the default).
/// API routes are exempt (their origin is not S3), and gated routes need no guard (any request
/// they serve passed the gate).
pub fn needs_path_guard(dist: &Distribution, route: &Route) -> bool {
    if route.route_type.is_api() || route.require_token {
        return false;
    }
    let origin = |r: &Route| {
        String::from(
            r.origin_path
                .as_deref()
                .unwrap_or(&dist.origin_path)
                .trim_end_matches('/'),
        )
    };
    let mine = key_prefix(dist, route);
    dist.routes
        .iter()
        .filter(|g| g.require_token && g.index != route.index)
        .filter(|g| !(g.is_default && !route.is_default && origin(g) == origin(route)))
        .any(|g| {
            let theirs = key_prefix(dist, g);
            mine.starts_with(&theirs) || theirs.starts_with(&mine)
        })
}

fn sanitize(part: &str) -> String {
    let mut out = String::new();
    for c in part.chars() {
        let c = if c.is_ascii_alphanumeric() || c == '_' {
            c
        } else {
            '-'
        };
        if c == '-' && (out.is_empty() || out.ends_with('-')) {
            continue;
        }
        out.push(c);
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

fn route_slug(route: &Route) -> String {
    if route.is_default {
        return String::from("default");
    }
    let s = sanitize(if route.ref_name.is_empty() {
        &route.path_pattern
    } else {
        &route.ref_name
    });
    if s.is_empty() {
        format!("route{}", route.index)
    } else {
        s
    }
}

/// The function name for `route` (see [`GeneratedFunction::name`]).
pub(crate) fn function_name(config: &PocketConfig, dist: &Distribution, route: &Route) -> String {
    let mut parts: Vec<String> = Vec::new();
    for p in [
        config.project_name.as_deref(),
        config.stage.as_deref(),
        Some(dist.name.as_str()),
    ]
    .into_iter()
    .flatten()
    {
        let s = sanitize(p);
        if !s.is_empty() {
            parts.push(s);
        }
    }
    parts.push(route_slug(route));
    let mut name = parts.join("-");
    if name.len() > MAX_NAME_LEN {
        // ASCII only after sanitize, so byte truncation is safe.
        name.truncate(MAX_NAME_LEN);
        while name.ends_with('-') {
            name.pop();
        }
    }
    name
}

/// Fails with [`CodegenError::TooLarge`] when `code` exceeds [`MAX_FUNCTION_SIZE`].
pub(crate) fn check_size(name: &str, code: &str) -> Result<(), CodegenError> {
    if code.len() > MAX_FUNCTION_SIZE {
        return Err(CodegenError::TooLarge {
            name: String::from(name),
            size: code.len(),
            limit: MAX_FUNCTION_SIZE,
        });
    }
    Ok(())
}

/// Generates the function of one route, or `None` when the behavior needs none.
pub(crate) fn for_route(
    config: &PocketConfig,
    dist: &Distribution,
    route: &Route,
    taken: &mut Vec<String>,
) -> Result<Option<GeneratedFunction>, CodegenError> {
    let plan = plan_for(dist, route);
    if plan.is_empty() {
        return Ok(None);
    }
    let mut name = function_name(config, dist, route);
    if taken.contains(&name) {
        let suffix = format!("-{}", route.index);
        name.truncate(MAX_NAME_LEN - suffix.len());
        name.push_str(&suffix);
    }
    taken.push(name.clone());
    let title = format!(
        "{name}: distribution {}, behavior {}",
        dist.name,
        route.behavior()
    );
    let code = js::render(&plan, &title);
    check_size(&name, &code)?;
    Ok(Some(GeneratedFunction {
        name,
        runtime: String::from(RUNTIME),
        behavior: String::from(route.behavior()),
        code,
        kvs_keys: js::kvs_keys(&plan),
        optional_kvs_keys: js::optional_kvs_keys(&plan),
    }))
}
