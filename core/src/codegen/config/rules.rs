//! Stable identifiers of the constraint rules ([`ConstraintViolation::rule`]).
//!
//! The checks that report them live next to them (crate-private) and run when
//! [`PocketConfig::from_toml_str`](super::PocketConfig::from_toml_str) reads a file.

use alloc::borrow::ToOwned;
use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::model::{behavior_for, Route, RouteType};
use crate::codegen::error::ConstraintViolation;

/// `routes` is missing or empty (the `pocket.toml` reference: at least one route).
pub const ROUTES_MISSING: &str = "routes-missing";
/// No route, or more than one, has `is_default = true`.
pub const DEFAULT_ROUTE_COUNT: &str = "default-route-count";
/// The default route has a non-empty `path_pattern`.
pub const DEFAULT_ROUTE_PATH_PATTERN: &str = "default-route-path-pattern";
/// A non-default route has an empty `path_pattern`.
pub const PATH_PATTERN_EMPTY: &str = "path-pattern-empty";
/// A non-empty `path_pattern` does not start with `/`.
pub const PATH_PATTERN_SLASH: &str = "path-pattern-slash";
/// `path_pattern` has characters CloudFront path patterns do not allow.
pub const PATH_PATTERN_CHARS: &str = "path-pattern-chars";
/// Two routes have the same `path_pattern`.
pub const PATH_PATTERN_DUPLICATE: &str = "path-pattern-duplicate";
/// `is_spa` and `is_versioned` are both true.
pub const SPA_AND_VERSIONED: &str = "spa-and-versioned";
/// `signed = true` but the distribution has no `signing_key`.
pub const SIGNED_NEEDS_SIGNING_KEY: &str = "signed-needs-signing-key";
/// An `api` route sets a field only S3 routes may set.
pub const API_ROUTE_FIELD: &str = "api-route-field";
/// An `api`/`lambda` route has no `handler`.
pub const API_ROUTE_HANDLER_MISSING: &str = "api-route-handler-missing";
/// `handler` names no handler in `[awscontainer.handlers]` / `[container.*.handlers]`.
pub const HANDLER_UNDEFINED: &str = "handler-undefined";
/// The handler of an `api` route has no `apigateway` table.
pub const HANDLER_NO_APIGATEWAY: &str = "handler-no-apigateway";
/// `build` without `build_dir`.
pub const BUILD_NEEDS_BUILD_DIR: &str = "build-needs-build-dir";
/// `require_token = true` without `is_spa = true`.
pub const REQUIRE_TOKEN_NEEDS_SPA: &str = "require-token-needs-spa";
/// `require_token = true` but the distribution has no `token_secret`.
pub const REQUIRE_TOKEN_NEEDS_TOKEN_SECRET: &str = "require-token-needs-token-secret";
/// `token_secret` names no managed secret of type `spa_token_secret`.
pub const TOKEN_SECRET_UNDEFINED: &str = "token-secret-undefined";
/// `signing_key` names no managed secret of type `cloudfront_signing_key`.
pub const SIGNING_KEY_UNDEFINED: &str = "signing-key-undefined";
/// `type` is not `s3`, `api` or `lambda`.
pub const ROUTE_TYPE_UNKNOWN: &str = "route-type-unknown";
/// `login_path` is not a same-site absolute path (pocket-sign rule).
pub const LOGIN_PATH_INVALID: &str = "login-path-invalid";
/// `spa_fallback_html` is not a plain relative file path (pocket-sign rule).
pub const SPA_FALLBACK_HTML_INVALID: &str = "spa-fallback-html-invalid";
/// `redirect_from` is set but `domain` is not.
pub const REDIRECT_FROM_NEEDS_DOMAIN: &str = "redirect-from-needs-domain";
/// A `login_path` is served by another `require_token` behavior with a different
/// `login_path`, so the two gates would redirect to each other forever.
pub const LOGIN_PATH_GATED: &str = "login-path-gated";
/// `domain` or a `redirect_from` domain is not a host name.
pub const DOMAIN_INVALID: &str = "domain-invalid";
/// `enable_origin_verify = true` on a distribution without an `api` / `lambda` route.
pub const ORIGIN_VERIFY_NEEDS_API_ROUTE: &str = "origin-verify-needs-api-route";

/// What the checks found in one file: constraint violations (any of them stops the read) and
/// warnings (advice kept in [`PocketConfig::warnings`](super::PocketConfig::warnings)).
pub(super) struct Findings<'a> {
    file: &'a str,
    pub(super) violations: Vec<ConstraintViolation>,
    pub(super) warnings: Vec<String>,
}

impl<'a> Findings<'a> {
    /// Nothing found yet in `file` (the name messages use).
    pub(super) fn new(file: &'a str) -> Self {
        Findings {
            file,
            violations: Vec::new(),
            warnings: Vec::new(),
        }
    }

    fn violation(&mut self, dist: &str, route: &str, rule: &str, message: String) {
        self.violations.push(ConstraintViolation {
            file: self.file.to_owned(),
            distribution: dist.to_owned(),
            route: route.to_owned(),
            rule: rule.to_owned(),
            message,
        });
    }

    /// Distribution-level rules of `[cloudfront.NAME]`: host names, `redirect_from` needing
    /// `domain`, and the managed secrets `token_secret` and `signing_key` name. `domain` and
    /// `redirect_from` are lowercased already; `secrets` maps managed secret names to their type.
    pub(super) fn check_distribution(
        &mut self,
        name: &str,
        domain: &Option<String>,
        redirect_from: &[String],
        token_secret: &Option<String>,
        signing_key: &Option<String>,
        secrets: &BTreeMap<String, String>,
    ) {
        if let Some(d) = domain {
            if !valid_domain(d) {
                self.violation(name, "", DOMAIN_INVALID, format!(
                    "domain \"{d}\" is not a host name; use letters, digits, '-' and '.' only (no scheme, port or path)"
                ));
            }
        }
        for d in redirect_from {
            if !valid_domain(d) {
                self.violation(name, "", DOMAIN_INVALID, format!(
                    "redirect_from domain \"{d}\" is not a host name; use letters, digits, '-' and '.' only"
                ));
            }
        }
        if !redirect_from.is_empty() && domain.is_none() {
            self.violation(name, "", REDIRECT_FROM_NEEDS_DOMAIN, String::from(
                "redirect_from is set but domain is not; set domain to the canonical host the redirects go to",
            ));
        }
        if let Some(ts) = token_secret {
            if secrets.get(ts).map(String::as_str) != Some("spa_token_secret") {
                self.violation(name, "", TOKEN_SECRET_UNDEFINED, format!(
                    "token_secret = \"{ts}\" names no managed secret of type spa_token_secret; add {ts} = {{ type = \"spa_token_secret\" }} under [awscontainer.secrets.managed]"
                ));
            }
        }
        if let Some(sk) = signing_key {
            if secrets.get(sk).map(String::as_str) != Some("cloudfront_signing_key") {
                self.violation(name, "", SIGNING_KEY_UNDEFINED, format!(
                    "signing_key = \"{sk}\" names no managed secret of type cloudfront_signing_key; add {sk} = {{ type = \"cloudfront_signing_key\" }} under [awscontainer.secrets.managed]"
                ));
            }
        }
    }

    /// Rules of one route, read into `route` with its defaults applied; `unknown_type` is the
    /// route's `type` when it names no route type, `signing_key` and `token_secret` are the
    /// distribution's, and `handler` looks a handler up (`Some(has_apigateway)` when defined).
    /// Also warns when `origin_path` repeats the path pattern prefix (double S3 prefix).
    pub(super) fn check_route(
        &mut self,
        dist: &str,
        route: &Route,
        unknown_type: Option<&str>,
        signing_key: &Option<String>,
        token_secret: &Option<String>,
        handler: impl Fn(&str) -> Option<bool>,
    ) {
        let label = route_label(route);
        let mut v: Vec<(&'static str, String)> = Vec::new();
        if let Some(other) = unknown_type {
            v.push((ROUTE_TYPE_UNKNOWN, format!(
                "type = \"{other}\" is not a route type; use \"s3\" (default), \"api\" or \"lambda\""
            )));
        }
        if route.is_default && !route.path_pattern.is_empty() {
            v.push((DEFAULT_ROUTE_PATH_PATTERN, format!(
                "the default route has path_pattern = \"{}\"; remove path_pattern from the is_default route",
                route.path_pattern
            )));
        }
        if !route.is_default && route.path_pattern.is_empty() {
            v.push((
                PATH_PATTERN_EMPTY,
                String::from(
                    "a route that is not the default needs a path_pattern such as \"/static/*\"",
                ),
            ));
        }
        if !route.path_pattern.is_empty() && !route.path_pattern.starts_with('/') {
            v.push((
                PATH_PATTERN_SLASH,
                format!(
                    "path_pattern \"{}\" must start with '/'; write \"/{}\"",
                    route.path_pattern, route.path_pattern
                ),
            ));
        }
        if !route
            .path_pattern
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_-.*$/~@:+&".contains(&b))
            || route.path_pattern.len() > 255
        {
            v.push((PATH_PATTERN_CHARS, format!(
                "path_pattern \"{}\" may only contain A-Z a-z 0-9 _ - . * $ / ~ @ : + & (at most 255)",
                route.path_pattern.escape_debug()
            )));
        }
        if route.is_spa && route.is_versioned {
            v.push((
                SPA_AND_VERSIONED,
                String::from("is_spa and is_versioned cannot both be true; keep one of them"),
            ));
        }
        if route.signed && signing_key.is_none() {
            v.push((SIGNED_NEEDS_SIGNING_KEY, String::from(
                "signed = true needs signing_key on the distribution; add signing_key = \"NAME\" naming a cloudfront_signing_key managed secret",
            )));
        }
        if route.route_type.is_api() {
            let mut forbidden: Vec<&str> = Vec::new();
            if route.is_spa {
                forbidden.push("is_spa");
            }
            if route.is_versioned {
                forbidden.push("is_versioned");
            }
            if route.signed {
                forbidden.push("signed");
            }
            if route.is_default && route.route_type == RouteType::Api {
                forbidden.push("is_default");
            }
            if route.require_token {
                forbidden.push("require_token");
            }
            if route.build.is_some() {
                forbidden.push("build");
            }
            if route.build_dir.is_some() {
                forbidden.push("build_dir");
            }
            for f in forbidden {
                v.push((
                    API_ROUTE_FIELD,
                    format!("an API route cannot set {f}; remove {f} or make this an S3 route"),
                ));
            }
            match &route.handler {
                None => v.push((API_ROUTE_HANDLER_MISSING, String::from(
                    "an API route needs handler = \"NAME\" naming a handler in [awscontainer.handlers]",
                ))),
                Some(h) => match handler(h) {
                    None => v.push((HANDLER_UNDEFINED, format!(
                        "handler \"{h}\" is not defined; add [awscontainer.handlers.{h}] with apigateway = {{}}"
                    ))),
                    Some(false) if route.route_type == RouteType::Api => v.push((HANDLER_NO_APIGATEWAY, format!(
                        "handler \"{h}\" has no apigateway; add apigateway = {{}} to that handler"
                    ))),
                    Some(_) => {}
                },
            }
        }
        if route.build.is_some() && route.build_dir.is_none() {
            v.push((
                BUILD_NEEDS_BUILD_DIR,
                String::from(
                    "build is set without build_dir; add build_dir = \"DIR\" with the build output",
                ),
            ));
        }
        if route.require_token && !route.is_spa {
            v.push((
                REQUIRE_TOKEN_NEEDS_SPA,
                String::from("require_token = true needs is_spa = true on the same route"),
            ));
        }
        if route.require_token && token_secret.is_none() {
            v.push((REQUIRE_TOKEN_NEEDS_TOKEN_SECRET, String::from(
                "require_token = true needs token_secret on the distribution; add token_secret = \"NAME\" naming a spa_token_secret managed secret",
            )));
        }
        if !valid_login_path(&route.login_path) {
            v.push((LOGIN_PATH_INVALID, format!(
                "login_path \"{}\" must be a same-site path: start with one '/', no '\\', '?', '#', spaces or control characters",
                route.login_path.escape_debug()
            )));
        }
        if !valid_fallback(&route.spa_fallback_html) {
            v.push((SPA_FALLBACK_HTML_INVALID, format!(
                "spa_fallback_html \"{}\" must be a relative file path such as \"index.html\" (no leading '/', no '..', no '?' or '#')",
                route.spa_fallback_html.escape_debug()
            )));
        }
        if let Some(op) = &route.origin_path {
            let prefix = route
                .path_pattern
                .trim_end_matches('*')
                .trim_end_matches('/');
            if !prefix.is_empty() && op.trim_end_matches('/') == prefix {
                self.warnings.push(format!(
                    "{}: [cloudfront.{dist}] {label}: origin_path \"{op}\" repeats the path_pattern prefix, so S3 keys live under {}{}/ (double prefix); this is allowed, check it is intended",
                    self.file,
                    op.trim_start_matches('/'),
                    prefix
                ));
            }
        }
        for (rule, message) in v {
            self.violation(dist, &label, rule, message);
        }
    }

    /// Rules over the whole `routes` list of a distribution: present, exactly one default,
    /// no login loop, no duplicate path pattern, and an API route when `enable_origin_verify`.
    pub(super) fn check_routes(
        &mut self,
        name: &str,
        routes: &[Route],
        enable_origin_verify: bool,
    ) {
        if routes.is_empty() {
            self.violation(name, "", ROUTES_MISSING, String::from(
                "routes is missing or empty; add at least the default route, e.g. routes = [{ is_default = true }]",
            ));
        }
        self.check_login_loops(name, routes);
        let defaults = routes.iter().filter(|r| r.is_default).count();
        if !routes.is_empty() && defaults != 1 {
            self.violation(name, "", DEFAULT_ROUTE_COUNT, format!(
                "{defaults} routes have is_default = true; exactly one route must be the default (set is_default = true on one route only)"
            ));
        }
        for (i, r) in routes.iter().enumerate() {
            if r.path_pattern.is_empty() {
                continue;
            }
            if routes[..i].iter().any(|o| o.path_pattern == r.path_pattern) {
                let label = format!("routes[{i}] \"{}\"", r.path_pattern);
                self.violation(name, &label, PATH_PATTERN_DUPLICATE, format!(
                    "path_pattern \"{}\" is used by an earlier route; give each route its own path_pattern",
                    r.path_pattern
                ));
            }
        }
        if enable_origin_verify && !routes.iter().any(|r| r.route_type.is_api()) {
            self.violation(name, "", ORIGIN_VERIFY_NEEDS_API_ROUTE, String::from(
                "enable_origin_verify = true needs at least one lambda route (the origin to protect); S3-only distributions are already protected by origin access control",
            ));
        }
    }

    /// Each gated route's `login_path` must reach either a behavior without a gate or a gate
    /// that exempts that very path (same `login_path`); otherwise viewers loop between logins.
    fn check_login_loops(&mut self, dist: &str, routes: &[Route]) {
        for r in routes.iter().filter(|r| r.require_token) {
            if let Some(serving) = behavior_for(routes, &r.login_path) {
                if serving.require_token && serving.login_path != r.login_path {
                    let label = if r.is_default {
                        format!("routes[{}] (default)", r.index)
                    } else {
                        format!("routes[{}] \"{}\"", r.index, r.path_pattern)
                    };
                    self.violation(dist, &label, LOGIN_PATH_GATED, format!(
                        "login_path \"{}\" is served by the require_token route {} whose login_path is \"{}\", so the gates would redirect to each other; point login_path at an ungated route (e.g. the API) or give both routes the same login_path",
                        r.login_path, serving.behavior(), serving.login_path
                    ));
                }
            }
        }
    }
}

/// How messages name a route: `routes[INDEX]`, then the path pattern or `(default)`.
fn route_label(route: &Route) -> String {
    if route.path_pattern.is_empty() {
        if route.is_default {
            format!("routes[{}] (default)", route.index)
        } else {
            format!("routes[{}]", route.index)
        }
    } else {
        format!("routes[{}] \"{}\"", route.index, route.path_pattern)
    }
}

/// Host name check: 1..=253 chars of `[a-z0-9.-]`, labels 1..=63, no leading/trailing `-`/`.`.
fn valid_domain(d: &str) -> bool {
    !d.is_empty()
        && d.len() <= 253
        && d.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        })
}

/// Same-site absolute path: one leading `/`, printable ASCII without `\ ? # "` or spaces.
fn valid_login_path(p: &str) -> bool {
    p.starts_with('/')
        && !p.starts_with("//")
        && p.len() <= 512
        && p.bytes()
            .all(|b| b.is_ascii_graphic() && !matches!(b, b'\\' | b'?' | b'#' | b'"'))
}

/// Plain relative file path: no leading `/`, no empty or `..` segment, printable ASCII without
/// `\ ? # "`.
fn valid_fallback(p: &str) -> bool {
    !p.is_empty()
        && !p.starts_with('/')
        && p.len() <= 256
        && !p.split('/').any(|s| s.is_empty() || s == "..")
        && p.bytes()
            .all(|b| b.is_ascii_graphic() && !matches!(b, b'\\' | b'?' | b'#' | b'"'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domain_and_path_checks() {
        assert!(valid_domain("www.example.com"));
        assert!(!valid_domain("example.com:443"));
        assert!(!valid_domain("-a.com"));
        assert!(!valid_domain("a..com"));
        assert!(valid_login_path("/api/auth/login"));
        assert!(!valid_login_path("/\\evil"));
        assert!(!valid_login_path("api/login"));
        assert!(!valid_login_path("/a b"));
        assert!(valid_fallback("app/index.html"));
        assert!(!valid_fallback("a//b.html"));
    }
}
