//! The validated route model: [`PocketConfig`], its [`Distribution`]s and their [`Route`]s, the
//! defaults the `pocket.toml` reference gives them, and which route CloudFront picks for a path
//! ([`behavior_for`]).

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

/// Default `login_path` of a `require_token` route (magic-pocket's `pocket.toml` reference).
pub const DEFAULT_LOGIN_PATH: &str = "/api/auth/login";
/// Default `spa_fallback_html` of an `is_spa` route (magic-pocket's `pocket.toml` reference).
pub const DEFAULT_SPA_FALLBACK_HTML: &str = "index.html";
/// Default distribution `origin_path` (magic-pocket's `pocket.toml` reference).
pub const DEFAULT_ORIGIN_PATH: &str = "/spa";

/// Kind of origin a route sends requests to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RouteType {
    /// S3 origin (default).
    S3,
    /// API Gateway origin for a handler (`type = "api"`).
    Api,
    /// Lambda handler origin, newer upstream spelling (`type = "lambda"`); may be the default.
    Lambda,
}

impl RouteType {
    /// True for [`RouteType::Api`] and [`RouteType::Lambda`] (origins that run application code).
    pub fn is_api(self) -> bool {
        matches!(self, RouteType::Api | RouteType::Lambda)
    }
}

/// One validated route (one CloudFront cache behavior).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Route {
    /// Position in the `routes` list (0-based).
    pub index: usize,
    /// Origin kind.
    pub route_type: RouteType,
    /// Handler name for API routes (`wsgi` or `CONTAINER.wsgi`).
    pub handler: Option<String>,
    /// CloudFront path pattern; empty for the default route.
    pub path_pattern: String,
    /// This route is the DefaultCacheBehavior.
    pub is_default: bool,
    /// SPA fallback: extension-less URIs are rewritten to the fallback HTML.
    pub is_spa: bool,
    /// Versioned assets (long cache).
    pub is_versioned: bool,
    /// File served for SPA routes, relative to the route prefix (default `index.html`).
    pub spa_fallback_html: String,
    /// Route reference name (`ref`), possibly empty.
    pub ref_name: String,
    /// Signed URLs required (CloudFront trusted key group).
    pub signed: bool,
    /// Build command, if any.
    pub build: Option<String>,
    /// Build output directory, if any.
    pub build_dir: Option<String>,
    /// The SPA token gate protects this route.
    pub require_token: bool,
    /// Where unauthenticated viewers are sent (default `/api/auth/login`).
    pub login_path: String,
    /// Route-level S3 origin path, if set.
    pub origin_path: Option<String>,
}

impl Route {
    /// `default` for the default route, else the path pattern: the `--route` selector and the
    /// `behavior` of generated functions.
    pub fn behavior(&self) -> &str {
        if self.is_default {
            "default"
        } else {
            &self.path_pattern
        }
    }

    /// The SPA fallback URI (magic-pocket rule): the path pattern without its trailing `*`, then
    /// without its trailing `/`, + `/` + `spa_fallback_html`. `""`, `/*` give `/index.html`;
    /// `/admin/*`, `/admin*` give `/admin/index.html`.
    pub fn fallback_uri(&self) -> String {
        let p = self
            .path_pattern
            .strip_suffix('*')
            .unwrap_or(&self.path_pattern);
        let p = p.strip_suffix('/').unwrap_or(p);
        format!("{}/{}", p, self.spa_fallback_html)
    }
}

/// One validated `[cloudfront.NAME]` distribution, after the stage merge.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Distribution {
    /// The `NAME` of `[cloudfront.NAME]`.
    pub name: String,
    /// Canonical domain (lowercase), if any.
    pub domain: Option<String>,
    /// S3 origin path (default `/spa`).
    pub origin_path: String,
    /// Domains redirected (301) to `domain`.
    pub redirect_from: Vec<String>,
    /// Managed secret name of the CloudFront signing key.
    pub signing_key: Option<String>,
    /// Managed secret name of the SPA token secret (the function reads KVS key `token_secret`).
    pub token_secret: Option<String>,
    /// pocket-sign extension: HTTP basic auth on S3 routes against KVS key `basic_auth`.
    pub basic_auth: bool,
    /// magic-pocket's `enable_origin_verify` (default `false`): CloudFront adds the secret
    /// origin header `X-Pocket-Origin-Verify` to API origins and the application refuses
    /// requests without it (`crate::origin_verify`); the API routes' functions then also drop a
    /// client-sent `x-pocket-origin-verify`. Needs at least one `api` / `lambda` route.
    pub enable_origin_verify: bool,
    /// Routes in file order.
    pub routes: Vec<Route>,
}

/// A validated `pocket.toml` (the parts pocket-sign uses).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PocketConfig {
    /// File name used in messages.
    pub file: String,
    /// Stage merged in, if any.
    pub stage: Option<String>,
    /// `[general] project_name`, if set.
    pub project_name: Option<String>,
    /// Distributions by name.
    pub distributions: BTreeMap<String, Distribution>,
    /// Advice that does not stop generation (unknown keys, double S3 prefix), one sentence each.
    pub warnings: Vec<String>,
}

impl PocketConfig {
    /// The distribution called `name`, if defined.
    pub fn distribution(&self, name: &str) -> Option<&Distribution> {
        self.distributions.get(name)
    }
}

/// The route CloudFront would use for `path`: the first non-default route whose path pattern
/// matches, else the default route ("Cache behavior settings: path pattern", evaluated in order).
pub fn behavior_for<'r>(routes: &'r [Route], path: &str) -> Option<&'r Route> {
    routes
        .iter()
        .filter(|r| !r.is_default && !r.path_pattern.is_empty())
        .find(|r| {
            let pat = r.path_pattern.strip_prefix('/').unwrap_or(&r.path_pattern);
            let p = path.strip_prefix('/').unwrap_or(path);
            glob_match(pat.as_bytes(), p.as_bytes())
        })
        .or_else(|| routes.iter().find(|r| r.is_default))
}

/// CloudFront path-pattern match: `*` any run of bytes (including `/`), `?` exactly one byte.
/// Iterative with one backtrack point, so linear-ish and without recursion.
fn glob_match(pat: &[u8], s: &[u8]) -> bool {
    let (mut p, mut i) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while i < s.len() {
        match pat.get(p) {
            Some(b'*') => {
                star = Some((p, i));
                p += 1;
            }
            Some(&c) if c == b'?' || c == s[i] => {
                p += 1;
                i += 1;
            }
            _ => match star {
                Some((sp, si)) => {
                    p = sp + 1;
                    i = si + 1;
                    star = Some((sp, si + 1));
                }
                None => return false,
            },
        }
    }
    pat[p.min(pat.len())..].iter().all(|&c| c == b'*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_matches_like_cloudfront() {
        assert!(glob_match(b"api/*", b"api/x/y"));
        assert!(!glob_match(b"api/*", b"api"));
        assert!(glob_match(b"docs*", b"docs.pdf"));
        assert!(glob_match(b"*.jpg", b"a/b.jpg"));
        assert!(glob_match(b"a?c", b"abc"));
        assert!(!glob_match(b"a?c", b"ac"));
        assert!(glob_match(b"*a*b*", b"xxaxxbxx"));
        assert!(!glob_match(b"*a*b", b"xxaxxbxx"));
        assert!(glob_match(b"", b""));
    }
}
